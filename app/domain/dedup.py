"""Story folding: every outlet's report of one event becomes one story, with its sources.

Measure. For two articles of one result page the *similarity* is an estimate of the probability that they
report the same event, a logistic function of evidence (weights chosen on the labeled dev pages in
`data/stories/`, `docs/stories.md`):

* **shared salient content**: cosine of the articles' Kiwi content morphemes (nouns, compound nouns,
  proper nouns, roots, Latin words) and quoted phrases, each weighted by its rarity on the page, so the
  company every article names counts for little and the place, person, figure or product of one event
  counts for much; the headlines' own cosine separately;
* **figures with their units normalised** (`1,628억` = `1천628억원` = `0.16조원`; `3분기` = `3Q`): each
  shared figure is evidence for;
* **evidence against**: both headlines give a figure of the same kind (money, %, count) and none agree;
  the texts name different quarters; publication times far apart (re-reports follow within a day or
  two; a report a week later is a follow-up with new facts, or another event).

`similarity_threshold` is the probability two articles need to be folded (default 0.75; higher =
stricter). Grouping is average-linkage agglomeration over pairs at or above the threshold, and a merge
is refused unless every member stays close to its story on average: a story never grows by chaining
through one similar member. Every story keeps its most informative report as the representative (the
longest headline + snippet; among equals, one with an original link, then the earliest) and lists all
its sources.
"""

from __future__ import annotations

import functools
import json
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from app.domain.models import Article, StorySource
from app.domain.story_features import FEATURES, StoryFeatures, query_words

# Logistic weights over the pair evidence (chosen on data/stories/dev, see docs/stories.md).
WEIGHTS = {
    "bias": -2.8,
    "cosine": 0.5,
    "shared_rarity": 5.6,
    "title_cosine": 2.4,
    "shared_figures": 0.75,
    "title_figure_conflict": -0.5,
    "figure_conflict": -1.4,
    "quarter_conflict": -3.0,
    "days_apart": -3.0,
}
MAX_DAYS_APART = 3.0  # beyond this, never the same story
# A merge keeps every member's mean similarity to the rest of its story at least this share of the threshold.
MEMBER_SUPPORT = 0.8
_DF_FILE = Path(__file__).with_name("word_df.json")
_MAX_DF_SHARE = 0.6  # words in more than this share of a page's articles (the company) are ignored


@dataclass(frozen=True)
class DedupResult:
    """Representatives (with `duplicate_count` and `sources` set) and how many inputs were folded away."""

    items: list[Article]
    original_count: int
    duplicates_removed: int


def _url_key(url: str) -> str:
    # Scheme, "www."/"m.", fragment and a trailing slash do not make a different article.
    rest = url.strip().partition("://")[2] or url.strip()
    rest = rest.partition("#")[0]
    host, _, path = rest.partition("/")
    host = host.lower().removeprefix("www.").removeprefix("m.")
    path, _, query = path.partition("?")
    return f"{host}/{path.rstrip('/')}?{query}"


def _informativeness(article: Article) -> tuple[int, int, float]:
    # More text first; among equals, the article that differs from Naver's copy (an original link), then
    # the earliest, which is usually the original report rather than a rewrite.
    published = article.published_date.timestamp() if article.published_date else math.inf
    return (len(article.description) + len(article.title), int(article.url != article.naver_url), -published)


def _shared(bags: Sequence[dict[str, tuple[float, ...]]], n: int, channels: int = 1) -> list[np.ndarray]:
    """Per channel c, Σ weight_i(w)[c] · weight_j(w)[c] over the keys two bags share, for every pair.

    A sparse product, vectorised: entries are grouped by key and every pair of entries within a group is
    generated once with repeat/arange arithmetic (no Python loop per key); each channel is then one
    weighted bincount over the same pairs.
    """
    ids: dict[str, int] = {}
    docs: list[int] = []
    keys: list[int] = []
    weights: list[tuple[float, ...]] = []
    for i, bag in enumerate(bags):
        for key, value in bag.items():
            docs.append(i)
            keys.append(ids.setdefault(key, len(ids)))
            weights.append(value)
    if not docs:
        return [np.zeros((n, n)) for _ in range(channels)]
    key_ids = np.asarray(keys)
    order = np.argsort(key_ids, kind="stable")
    doc, weight = np.asarray(docs)[order], np.asarray(weights, dtype=np.float64).reshape(len(docs), -1)[order]
    counts = np.unique(key_ids[order], return_counts=True)[1]
    group = np.repeat(np.arange(len(counts)), counts)
    keep = counts[group] >= 2  # a key in one article pairs with nothing
    doc, weight, group = doc[keep], weight[keep], group[keep]
    if len(doc) == 0:
        return [np.zeros((n, n)) for _ in range(channels)]
    size = np.bincount(group)
    start = np.concatenate(([0], np.cumsum(size)[:-1]))
    reps = size[group]
    left = np.repeat(np.arange(len(doc)), reps)
    within = np.arange(len(left)) - np.repeat(np.cumsum(reps) - reps, reps)
    right = np.repeat(start[group], reps) + within
    flat = doc[left] * n + doc[right]
    return [np.bincount(flat, weights=weight[left, c] * weight[right, c], minlength=n * n).reshape(n, n)
            for c in range(channels)]


def _cosine(dot: np.ndarray, bags: Sequence[dict[str, float]]) -> np.ndarray:
    norms = np.sqrt(np.array([sum(v * v for v in bag.values()) for bag in bags]))
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = dot / np.outer(norms, norms)
    return np.nan_to_num(cos)


@functools.lru_cache(maxsize=1)
def _background() -> tuple[int, dict[str, int]]:
    """How many of a corpus's news items each word occurs in (`data/tools/word_frequencies.py`)."""
    data = json.loads(_DF_FILE.read_text("utf-8"))
    return int(data["documents"]), {str(k): int(v) for k, v in data["df"].items()}


def _idf(features: Sequence[StoryFeatures], query: str) -> dict[str, float]:
    """Rarity of each word in news at large; the query's words and the page's near-universal words drop."""
    n = len(features)
    documents, background = _background()
    df: dict[str, int] = {}
    for f in features:
        for word in f.words:
            df[word] = df.get(word, 0) + 1
    cap = n * _MAX_DF_SHARE if n >= 5 else n
    asked = {w for w in query_words(query) if len(w) >= 2}
    return {w: math.log((documents + 1) / (background.get(w, 0) + 1)) for w, c in df.items()
            if c <= cap and not any(q in w or w in q for q in asked)}


def _days_apart(dates: Sequence[datetime | None]) -> np.ndarray:
    stamps = np.array([d.timestamp() if d is not None else np.nan for d in dates])
    days = np.abs(stamps[:, None] - stamps[None, :]) / 86400
    return np.nan_to_num(days, nan=0.0)  # an undated article is judged on its text alone


def _conflict(kinds: Sequence[dict[str, frozenset[str]]], n: int) -> np.ndarray:
    """Both sides report a figure of one kind and share none of that kind."""
    conflict = np.zeros((n, n), dtype=bool)
    units = {u for k in kinds for u in k}
    for unit in sorted(units):
        rows = np.array([i for i, k in enumerate(kinds) if unit in k])
        if len(rows) < 2:
            continue
        # Only the articles that report this kind of figure: a small block, not the whole page.
        shared = _shared([{key: (1.0,) for key in kinds[i][unit]} for i in rows], len(rows))[0] > 0
        conflict[np.ix_(rows, rows)] |= ~shared
    np.fill_diagonal(conflict, False)
    return conflict


def pair_evidence(articles: Sequence[Article], query: str = "") -> dict[str, np.ndarray]:
    """Each kind of evidence as an n × n matrix (the inputs of the similarity's logistic function)."""
    n = len(articles)
    features = FEATURES.features([a.title for a in articles], [a.description for a in articles])
    idf = _idf(features, query)
    bags = [{w: idf[w] for w in f.words if w in idf} for f in features]
    title_bags = [{w: idf[w] for w in f.title_words if w in idf} for f in features]
    # One pass over the shared keys for three sums: all words, headline words, figures.
    channels: list[dict[str, tuple[float, ...]]] = [
        {**{w: (v, title.get(w, 0.0), 0.0) for w, v in bag.items()},
         **{f"#{k}": (0.0, 0.0, 1.0) for k in f.figure_keys}}
        for bag, title, f in zip(bags, title_bags, features, strict=True)
    ]
    shared, title_shared, figures = _shared(channels, n, channels=3)
    return {
        "cosine": _cosine(shared, bags),
        "shared_rarity": np.sqrt(shared) / 10,
        "title_cosine": _cosine(title_shared, title_bags),
        "shared_figures": np.minimum(figures, 3),
        "title_figure_conflict": _conflict([f.title_kinds for f in features], n).astype(float),
        "figure_conflict": _conflict([f.text_kinds for f in features], n).astype(float),
        "quarter_conflict": _conflict([f.quarters for f in features], n).astype(float),
        "days_apart": _days_apart([a.published_date for a in articles]),
    }


def pair_similarity(articles: Sequence[Article], query: str = "") -> np.ndarray:
    """The n × n matrix of same-story probabilities (diagonal 1)."""
    evidence = pair_evidence(articles, query)
    days = evidence["days_apart"]
    evidence["days_apart"] = np.minimum(days, MAX_DAYS_APART)
    logit = WEIGHTS["bias"] + sum(WEIGHTS[name] * value for name, value in evidence.items())
    similarity = 1 / (1 + np.exp(-logit))
    similarity[days > MAX_DAYS_APART] = 0.0
    np.fill_diagonal(similarity, 1.0)
    return similarity


def cluster(similarity: np.ndarray, threshold: float) -> list[int]:
    """Story index per article: average-linkage merges of pairs ≥ threshold, no member left behind."""
    n = similarity.shape[0]
    story = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    rows, cols = np.nonzero(np.triu(similarity >= threshold, k=1))
    order = np.argsort(-similarity[rows, cols], kind="stable")
    floor = threshold * MEMBER_SUPPORT
    for k in order.tolist():
        a, b = story[int(rows[k])], story[int(cols[k])]
        if a == b:
            continue
        merged = members[a] + members[b]
        block = similarity[np.ix_(merged, merged)]
        support = (block.sum(axis=1) - 1) / (len(merged) - 1)
        if support.min() < floor or (block == 0).any():
            continue
        for m in members[b]:
            story[m] = a
        members[a] = merged
        del members[b]
    return story


def _source(article: Article) -> StorySource:
    return StorySource(press=article.news_source, url=article.url, naver_url=article.naver_url,
                       published_date=article.published_date, title=article.title)


def assign_stories(articles: Sequence[Article], threshold: float = 0.75, query: str = "") -> list[int]:
    """For every article, the index (in `articles`) of the first report of its story."""
    if not 0 <= threshold <= 1:
        raise ValueError("similarity threshold must be between 0 and 1")
    by_url: dict[str, int] = {}
    unique: list[int] = []
    first_copy: list[int] = []
    for index, article in enumerate(articles):
        key = _url_key(unicodedata.normalize("NFKC", article.url))
        if key not in by_url:
            by_url[key] = index
            unique.append(index)
        first_copy.append(by_url[key])
    if len(unique) > 1 and threshold < 1:
        grouped = cluster(pair_similarity([articles[i] for i in unique], query), threshold)
    else:
        grouped = list(range(len(unique)))
    story_of_unique: dict[int, int] = {}
    first_of_group: dict[int, int] = {}
    for position, group in zip(unique, grouped, strict=True):
        story_of_unique[position] = first_of_group.setdefault(group, position)
    return [story_of_unique[first_copy[i]] for i in range(len(articles))]


def deduplicate(articles: Sequence[Article], threshold: float = 0.75, query: str = "") -> DedupResult:
    """Fold exact-URL copies and re-reports of one event; keep source order of each story's first report."""
    story_of = assign_stories(articles, threshold, query)
    groups: dict[int, list[int]] = {}
    for index, story in enumerate(story_of):
        groups.setdefault(story, []).append(index)
    items: list[Article] = []
    for first in sorted(groups):
        indices = groups[first]
        seen: set[str] = set()
        reports = []  # URL copies count as coverage but are one source
        for k in indices:
            key = _url_key(unicodedata.normalize("NFKC", articles[k].url))
            if key not in seen:
                seen.add(key)
                reports.append(articles[k])
        representative = max(reports, key=_informativeness)
        dated = [a.published_date for a in reports if a.published_date is not None]
        items.append(representative.model_copy(update={
            "duplicate_count": len(indices) - 1,
            "sources": [_source(a) for a in sorted(reports, key=_by_date)],
            "first_published": min(dated) if dated else None,
            "last_published": max(dated) if dated else None,
        }))
    removed = len(articles) - len(items)
    return DedupResult(items=items, original_count=len(articles), duplicates_removed=removed)


def _by_date(article: Article) -> float:
    return article.published_date.timestamp() if article.published_date else math.inf
