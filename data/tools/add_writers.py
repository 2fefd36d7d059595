"""Append new writers' labeled items to the training corpus or the dev set, after checking them.

    .venv/bin/python data/tools/add_writers.py --to training NEW.jsonl [NEW2.jsonl ...]
    .venv/bin/python data/tools/add_writers.py --to dev NEW.jsonl [...]

Checks every row (valid labels, a writer letter, non-empty text) and refuses a title that is already in the
training corpus, the dev set or the archive sources, or twice in the new files (compared without case, spaces,
punctuation and leading [tags]). Training rows get a split the
way the corpus was split: 10 % of each writer's items in every category × sentiment cell are `validation`,
chosen by a hash of the title (stable when rows are added later). Dev rows carry no split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1]
TRAINING = DATA / "training" / "esg_news_ko.jsonl"
DEV = DATA / "dev" / "esg_dev.jsonl"
CATEGORIES = {"E", "S", "G", "기타"}
SENTIMENTS = {"긍정", "중립", "부정"}
FIELDS = ("title", "description", "category", "sentiment", "company", "split", "writer", "hard")
VALIDATION_SHARE = 0.10


def _rows(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def normalized(title: str) -> str:
    """A title without case, leading [tags], spaces and punctuation: `통신 3사 담합…` = `통신3사, 담합`."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"^\s*(\[[^\]]{1,10}\]\s*)+", "", text)
    return re.sub(r"[\W_]+", "", text)


def _known_titles() -> set[str]:
    titles = {normalized(r["title"]) for r in _rows(TRAINING) + _rows(DEV)}
    for source in sorted((DATA / "archive" / "sources").glob("*.jsonl")):
        titles |= {normalized(r["title"]) for r in _rows(source)}
    return titles


def check(rows: list[dict[str, str]], known: set[str]) -> list[str]:
    """Every problem found, one line each (empty when the rows can be added)."""
    problems: list[str] = []
    seen: Counter[str] = Counter(normalized(r.get("title", "")) for r in rows)
    for n, row in enumerate(rows, 1):
        title = row.get("title", "").strip()
        key = normalized(title)
        if not title or not row.get("description", "").strip():
            problems.append(f"row {n}: empty title or description")
        if row.get("category") not in CATEGORIES or row.get("sentiment") not in SENTIMENTS:
            problems.append(f"row {n}: labels {row.get('category')!r} / {row.get('sentiment')!r}")
        if not row.get("writer"):
            problems.append(f"row {n}: no writer")
        if key in known:
            problems.append(f"row {n}: title already in the corpus, dev set or archive: {title}")
        if seen[key] > 1:
            problems.append(f"row {n}: title twice in the new rows: {title}")
    return problems


def assign_splits(rows: list[dict[str, str]]) -> None:
    """10 % of each writer's items in every label cell become `validation` (at least one per cell of 5+)."""
    cells: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        cells[(row["writer"], row["category"], row["sentiment"])].append(row)
    for members in cells.values():
        members.sort(key=lambda r: hashlib.sha256(r["title"].encode()).hexdigest())
        held = round(len(members) * VALIDATION_SHARE) or (1 if len(members) >= 5 else 0)
        for k, row in enumerate(members):
            row["split"] = "validation" if k < held else "train"


def main() -> int:
    """Check the new files and append their rows; exit 1 without writing anything if a check fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to", choices=("training", "dev"), required=True)
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    rows = [row for path in args.files for row in _rows(path)]
    problems = check(rows, _known_titles())
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if args.to == "training":
        assign_splits(rows)
    target = TRAINING if args.to == "training" else DEV
    fields = FIELDS if args.to == "training" else tuple(f for f in FIELDS if f != "split")
    with target.open("a", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({f: row.get(f, "") for f in fields}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} rows appended to {target.relative_to(DATA.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
