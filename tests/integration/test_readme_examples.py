"""The README's "Using it" block, run with curl against `news-service serve` as `make run` starts it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.apiserver import ROOT, run_api

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def guide_examples() -> list[str]:
    """The curl commands of the README's first bash block under "Using it", continued lines joined."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using it", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block, "README: no bash block under 'Using it'"
    text = block.group(1).replace("\\\n", " ")
    return [line.split("   #")[0].strip() for line in text.splitlines() if line.strip().startswith("curl")]


def test_every_guide_example_answers_as_documented(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.fail("these tests run the README's curl commands: install curl")
    examples = guide_examples()
    assert len(examples) >= 9
    # `make run`: embedded mode, the bundled archive, no ADMIN_API_KEY, the caller on the same machine.
    env = {"NEWS_SOURCE": "auto", "ADMIN_API_KEY": "", "EMBEDDED_DATA_DIR": str(tmp_path / "data")}
    with run_api(env, tmp_path) as api:
        for command in examples:
            line = command.replace("http://localhost:8002", api.url)
            # -sS: quiet but errors shown; the status code goes last on stdout.
            done = subprocess.run(f"{line} -sS -w '\\n%{{http_code}}'", shell=True, capture_output=True,
                                  text=True, timeout=120, check=False)
            status = done.stdout.rsplit("\n", 1)[-1]
            assert done.returncode == 0, (command, done.stderr)
            assert status in {"200", "202"}, (command, status, done.stdout[-500:])
