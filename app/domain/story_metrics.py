"""How well story folding matches labeled pages: pair precision/recall, re-reports folded, stories lost.

A labeled page is a Naver-shaped search result whose items carry a `story` id (`data/stories/`).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.domain.models import Article


@dataclass(frozen=True)
class LabeledPage:
    """One query's articles in source order, each with the id of the event it reports."""

    name: str
    query: str
    articles: list[Article]
    stories: list[str]
    confusable: frozenset[frozenset[str]]


@dataclass
class FoldScore:
    """Counts over one or more pages; the properties are the reported rates."""

    true_pairs: int = 0  # same story, folded together
    false_pairs: int = 0  # different stories, folded together
    missed_pairs: int = 0  # same story, left apart
    hard_pairs: int = 0  # article pairs of declared look-alike stories
    hard_merged: int = 0
    rereports: int = 0  # articles beyond the first of each story
    rereports_folded: int = 0
    stories: int = 0
    stories_lost: int = 0  # stories that are no predicted story's majority

    @property
    def precision(self) -> float:
        """Share of folded pairs that report one event."""
        folded = self.true_pairs + self.false_pairs
        return self.true_pairs / folded if folded else 1.0

    @property
    def recall(self) -> float:
        """Share of same-event pairs folded together."""
        same = self.true_pairs + self.missed_pairs
        return self.true_pairs / same if same else 1.0

    @property
    def folded_share(self) -> float:
        """Share of re-reports that sit in their story's predicted group."""
        return self.rereports_folded / self.rereports if self.rereports else 1.0

    def add(self, other: FoldScore) -> None:
        """Accumulate another page's counts."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, float | int]:
        """Counts and rates, rounded."""
        rates = {"precision": self.precision, "recall": self.recall, "folded_share": self.folded_share}
        counts = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return {**{k: round(v, 4) for k, v in rates.items()}, **counts}


def load_page(path: Path) -> LabeledPage:
    """Read one labeled page (`{"query", "stories": [...], "items": [...]}`)."""
    from app.adapters.naver import article_from_item

    data = json.loads(path.read_text("utf-8"))
    articles, stories = [], []
    for item in data["items"]:
        article = article_from_item(item)
        if article is None:
            raise ValueError(f"{path.name}: unusable item {item.get('title')!r}")
        articles.append(article)
        stories.append(str(item["story"]))
    confusable = frozenset(frozenset((s["id"], other)) for s in data.get("stories", [])
                           for other in s.get("confusable_with", []))
    return LabeledPage(path.stem, str(data.get("query", "")), articles, stories, confusable)


def load_pages(directory: Path) -> list[LabeledPage]:
    """Every `*.json` page of a directory, by name."""
    return [load_page(p) for p in sorted(directory.glob("*.json"))]


def score_page(page: LabeledPage, predicted: Sequence[int]) -> FoldScore:
    """Compare predicted story indices (one per article, in page order) with the labels."""
    score = FoldScore()
    gold = page.stories
    for i, j in itertools.combinations(range(len(gold)), 2):
        same, together = gold[i] == gold[j], predicted[i] == predicted[j]
        score.true_pairs += same and together
        score.false_pairs += (not same) and together
        score.missed_pairs += same and not together
        if frozenset((gold[i], gold[j])) in page.confusable:
            score.hard_pairs += 1
            score.hard_merged += together
    majority = {}
    for group in set(predicted):
        counts = Counter(g for g, p in zip(gold, predicted, strict=True) if p == group)
        majority[group] = counts.most_common(1)[0][0]
    for story in dict.fromkeys(gold):
        groups = [p for g, p in zip(gold, predicted, strict=True) if g == story]
        score.stories += 1
        score.rereports += len(groups) - 1
        score.rereports_folded += Counter(groups).most_common(1)[0][1] - 1
        score.stories_lost += not any(majority[p] == story for p in set(groups))
    return score
