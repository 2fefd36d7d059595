"""Write one benchmark's section into docs/benchmarks.md, replacing its previous run."""

from __future__ import annotations

import platform
import re
from datetime import UTC, datetime
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Each section is written by the script it names, from one run on the machine described in it.
Figures are compared side by side within a run (ratios), not across runs: the machine is shared and noisy.
"""


def machine() -> str:
    """A one-line description of where the numbers came from."""
    import os

    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


def write_section(name: str, body: str) -> None:
    """Replace `<!-- name -->…<!-- /name -->` in docs/benchmarks.md (or append it)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = f"<!-- {name} -->\n{body.strip()}\n\n_Run {stamp} on {machine()}._\n<!-- /{name} -->"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    pattern = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
