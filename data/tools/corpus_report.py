"""Diversity report of a labeled corpus: repeated sentences, distinct n-gram ratio, morpheme types.

    .venv/bin/python data/tools/corpus_report.py data/training/esg_news_ko.jsonl [more.jsonl ...]

Prints one JSON object. A templated corpus shows up as a low distinct-trigram ratio and sentences that
recur dozens of times; hand-written text has a ratio near 1 and no sentence more than a few times.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from app.domain.morphology import analyzer

_SENTENCE = re.compile(r"(?<=[.!?…])\s+|(?<=다\.)")


def report(paths: list[str]) -> dict[str, object]:
    """Counts over every row of the given JSONL files."""
    rows = [json.loads(line) for path in paths for line in Path(path).read_text("utf-8").splitlines()
            if line.strip()]
    sentences: Counter[str] = Counter()
    trigrams: Counter[tuple[str, ...]] = Counter()
    types: set[str] = set()
    for row in rows:
        text = f"{row['title']}\n{row['description']}"
        for sentence in _SENTENCE.split(row["description"]):
            if len(sentence.strip()) >= 10:
                sentences[sentence.strip()] += 1
        forms = [f"{t.form}/{t.tag}" for t in analyzer().tokenize(text)]
        types.update(forms)
        trigrams.update(zip(forms, forms[1:], forms[2:], strict=False))
    sentence, count = sentences.most_common(1)[0] if sentences else ("", 0)
    titles = Counter(r["title"] for r in rows)
    return {
        "rows": len(rows),
        "writers": dict(Counter(r.get("writer", "?") for r in rows)),
        "category": dict(Counter(r["category"] for r in rows)),
        "sentiment": dict(Counter(r["sentiment"] for r in rows)),
        "hard_share": round(sum(bool(r.get("hard")) for r in rows) / max(len(rows), 1), 3),
        "companies": len({r.get("company") for r in rows}),
        "duplicate_titles": sum(n - 1 for n in titles.values() if n > 1),
        "distinct_trigram_ratio": round(len(trigrams) / max(sum(trigrams.values()), 1), 4),
        "morpheme_types": len(types),
        "most_repeated_sentence": {"text": sentence, "occurrences": count},
    }


if __name__ == "__main__":
    print(json.dumps(report(sys.argv[1:]), ensure_ascii=False, indent=1))
