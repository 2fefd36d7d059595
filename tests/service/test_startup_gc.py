"""Start-up objects are frozen out of the garbage collector, so full collections stay short under load."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import embedded_settings


def test_the_lifespan_freezes_what_start_up_built() -> None:
    gc.unfreeze()
    with TestClient(create_app(embedded_settings())):
        frozen = gc.get_freeze_count()
    # Models, tokenizers and Kiwi (here: the keyword fallback and Kiwi) are tens of thousands of objects.
    assert frozen > 10_000
