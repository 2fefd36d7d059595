"""The process's one Kiwi analyzer (about a second and 100 MB to build), shared by every Korean-text user."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

_KIWI: list[Any] = []
_LOCK = threading.Lock()
TEXTS_PER_CALL = 2


def analyzer() -> Any:
    """The shared `kiwipiepy.Kiwi`, built on first use."""
    if not _KIWI:
        with _LOCK:
            if not _KIWI:
                from kiwipiepy import Kiwi

                _KIWI.append(Kiwi())
    return _KIWI[0]


def tokenized(texts: Sequence[str]) -> Iterable[Any]:
    """Kiwi's tokens per text, analysed a couple of texts per call.

    Kiwi holds the GIL for the whole of one `tokenize` call (about 10 ms for 50 texts): the event loop
    could not answer anything meanwhile. Pairs keep its two analysis workers busy at the same total speed,
    and the GIL changes hands between calls.
    """
    kiwi = analyzer()
    for start in range(0, len(texts), TEXTS_PER_CALL):
        yield from kiwi.tokenize(list(texts[start : start + TEXTS_PER_CALL]))
