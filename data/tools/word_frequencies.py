"""Write `app/domain/word_df.json`: in how many news items each salient word occurs (story folding's IDF).

Run from the repository root after the corpus changes:

    .venv/bin/python data/tools/word_frequencies.py data/training/esg_news_ko.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from app.domain.story_features import FEATURES

OUTPUT = Path("app/domain/word_df.json")


def main(paths: list[str]) -> None:
    """Count document frequencies over the titles and descriptions of JSONL files."""
    titles, descriptions = [], []
    for path in paths:
        for line in Path(path).read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                titles.append(row.get("title", ""))
                descriptions.append(row.get("description", ""))
    counts: Counter[str] = Counter()
    for features in FEATURES.features(titles, descriptions):
        counts.update(w for w in features.words if not w.startswith("“"))
    kept = {w: n for w, n in sorted(counts.items()) if n >= 2}
    OUTPUT.write_text(json.dumps({"documents": len(titles), "df": kept}, ensure_ascii=False, indent=0) + "\n",
                      encoding="utf-8")
    print(f"{OUTPUT}: {len(kept)} words over {len(titles)} items")


if __name__ == "__main__":
    main(sys.argv[1:])
