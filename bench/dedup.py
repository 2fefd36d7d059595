"""Near-duplicate removal over 1,000 realistic items (the archive, plus reworded copies).

    python -m bench.dedup [--items 1000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from app.adapters.naver import article_from_item
from app.domain.dedup import deduplicate
from app.domain.models import Article, article_id
from app.settings import DEFAULT_ARCHIVE
from bench.report import write_section

REWRITES = ("[속보] {}", "{}…", "[단독] {}", "{} (종합)", "\"{}\"")


def corpus(n: int, seed: int = 7) -> list[Article]:
    """The archive's articles, topped up to `n` with reworded copies at other URLs."""
    rng = random.Random(seed)
    base = []
    for line in DEFAULT_ARCHIVE.read_text(encoding="utf-8").splitlines():
        article = article_from_item(json.loads(line))
        if article is not None:
            base.append(article)
    items = list(base)
    while len(items) < n:
        source = rng.choice(base)
        url = f"https://www.example.co.kr/copy/{len(items)}"
        items.append(
            source.model_copy(
                update={"title": rng.choice(REWRITES).format(source.title), "url": url, "id": article_id(url)}
            )
        )
    rng.shuffle(items)
    return items[:n]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    items = corpus(args.items)
    deduplicate(items[:50], 0.75)  # warm rapidfuzz / numpy
    rows = []
    for size in (100, 500, args.items):
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = deduplicate(items[:size], 0.75)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        rows.append((size, statistics.median(timings), timings[-1], result.duplicates_removed))
        print(f"{size} items: median {rows[-1][1]:.1f} ms, max {rows[-1][2]:.1f} ms, removed {rows[-1][3]}")
    table = "\n".join(f"| {s} | {m:.1f} | {x:.1f} | {d} |" for s, m, x, d in rows)
    write_section(
        "dedup",
        f"""## Near-duplicate removal (`bench/dedup.py`)

`python -m bench.dedup --items {args.items} --repeat {args.repeat}`: the bundled archive plus reworded copies
(`[속보]`, `(종합)`, quotes) at other URLs, threshold 0.75, {args.repeat} runs per size.

| items | median (ms) | max (ms) | duplicates removed |
|---:|---:|---:|---:|
{table}

Target: 1,000 items well under 100 ms.""",
    )


if __name__ == "__main__":
    main()
