"""Near-duplicate removal: one representative per story, with a count of the copies it stands for.

Measure. Two articles are the same story when
``similarity = 0.6 * ratio(title) + 0.4 * ratio(description lead)`` reaches the threshold
(title alone when either description is empty). ``ratio`` is rapidfuzz's normalised Indel similarity
(1 - edits / total length) on NFKC, case-folded text with bracket tags such as ``[속보]`` and
punctuation removed. Why this measure:

* it works on characters, so Korean particles and endings ("달성" / "달성까지") cost one or two edits
  instead of breaking a whole token as token-set measures would;
* a subset measure (``token_set_ratio``) calls "삼성전자 실적 발표" and "삼성전자 실적 발표 연기" identical;
  Indel does not;
* outlets rewrite headlines more than leads, and share the lead sentence of a wire story, so the
  description's first 120 characters break ties between short, similar headlines ("주가 상승" / "주가 하락");
* headlines built from one template ("A사 분기배당 주당 3,700원…" / "B사 분기배당 주당 1,200원…") score
  high but report different facts: when both headlines carry figures and share none, they are
  different stories (years do not count: "2030년까지" is context, not the news);
* a wire story republished under a new headline keeps its lead word for word, so two articles whose
  leads agree on their first 50 characters (ignoring spaces and punctuation) are the same story
  whatever their titles.

Speed: titles are compared all-pairs in C++ (``process.cdist``) with a score cutoff equal to the
lowest title score that could still reach the threshold. Hangul makes rapidfuzz use its slow
hash-map path, so that pass runs on titles re-encoded into single-byte codes (the 254 most frequent
characters keep their own code, rarer ones share one): merging characters can only raise a score,
so no pair is lost, and the few extra candidates are dropped by the exact score computed next.
Descriptions are scored only for the candidate pairs. Grouping is leader clustering in order of
informativeness (no chaining: every member is similar to its representative, not just to another).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from app.domain.models import Article

TITLE_WEIGHT = 0.6
LEAD_CHARS = 120
SAME_LEAD_CHARS = 50
_TAGS = "속보|단독|종합|포토|영상|사진|인터뷰|기획|르포|특징주|1보|2보|3보"
_BRACKET_TAG = re.compile(rf"[\[【(<]\s*(?:{_TAGS})[^\]】)>]{{0,10}}[\]】)>]")
_NON_WORD = re.compile(r"[^\w]+")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


@dataclass(frozen=True)
class DedupResult:
    """Representatives (with `duplicate_count` set) and how many inputs were folded away."""

    items: list[Article]
    original_count: int
    duplicates_removed: int


def _fingerprint(text: str, *, headline: bool = True) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    if headline:
        text = _BRACKET_TAG.sub(" ", text)
    return _NON_WORD.sub(" ", text).strip()


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


def _figures(title: str) -> set[str]:
    numbers = {n.replace(",", "") for n in _NUMBER.findall(title)}
    return {n for n in numbers if not (len(n) == 4 and n.startswith(("19", "20")))}


def _single_byte(texts: list[str]) -> list[str]:
    counts = Counter("".join(texts))
    ranked = enumerate(counts.most_common())
    table = {ord(ch): (chr(rank + 1) if rank < 254 else "\xff") for rank, (ch, _) in ranked}
    return [text.translate(table) for text in texts]


def _candidate_pairs(titles: list[str], threshold: float) -> list[tuple[int, int, float]]:
    # The description can add at most (1 - TITLE_WEIGHT); pairs whose title score is below this bound
    # can never reach the threshold, so cdist drops them in C++.
    cutoff = math.floor(max(0.0, (threshold - (1 - TITLE_WEIGHT)) / TITLE_WEIGHT) * 100)
    encoded = _single_byte(titles)
    matrix = process.cdist(
        encoded, encoded, scorer=fuzz.ratio, dtype=np.uint8, workers=1, score_cutoff=cutoff
    )
    rows, cols = np.nonzero(np.triu(matrix, k=1))
    pairs = []
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        score = fuzz.ratio(titles[i], titles[j], score_cutoff=cutoff)
        if score:
            pairs.append((i, j, score / 100))
    return pairs


def _similar_pairs(articles: Sequence[Article], threshold: float) -> dict[int, set[int]]:
    titles = [_fingerprint(a.title) for a in articles]
    leads = [_fingerprint(a.description[: LEAD_CHARS + 30], headline=False)[:LEAD_CHARS] for a in articles]
    figures: dict[int, set[str]] = {}

    def figures_of(index: int) -> set[str]:
        if index not in figures:
            figures[index] = _figures(articles[index].title)
        return figures[index]

    neighbours: dict[int, set[int]] = {}
    by_lead: dict[str, list[int]] = {}
    for index, lead in enumerate(leads):
        compact = lead.replace(" ", "")
        if len(compact) >= SAME_LEAD_CHARS:
            by_lead.setdefault(compact[:SAME_LEAD_CHARS], []).append(index)
    for group in by_lead.values():
        for member in group:
            neighbours.setdefault(member, set()).update(m for m in group if m != member)
    for i, j, title_score in _candidate_pairs(titles, threshold):
        a, b = figures_of(i), figures_of(j)
        if a and b and a.isdisjoint(b):
            continue
        if leads[i] and leads[j]:
            score = TITLE_WEIGHT * title_score + (1 - TITLE_WEIGHT) * fuzz.ratio(leads[i], leads[j]) / 100
        else:
            score = title_score
        if score >= threshold:
            neighbours.setdefault(i, set()).add(j)
            neighbours.setdefault(j, set()).add(i)
    return neighbours


def deduplicate(articles: Sequence[Article], threshold: float = 0.75) -> DedupResult:
    """Fold exact-URL and near-duplicate articles; keep source order of the first copy of each story."""
    if not 0 <= threshold <= 1:
        raise ValueError("similarity threshold must be between 0 and 1")
    original_count = len(articles)

    by_url: dict[str, int] = {}
    unique: list[Article] = []
    url_copies: list[int] = []
    for article in articles:
        key = _url_key(article.url)
        if key in by_url:
            url_copies[by_url[key]] += 1
            continue
        by_url[key] = len(unique)
        unique.append(article)
        url_copies.append(0)

    neighbours = _similar_pairs(unique, threshold) if len(unique) > 1 and threshold < 1 else {}
    leader_of: dict[int, int] = {}
    order = sorted(range(len(unique)), key=lambda k: _informativeness(unique[k]), reverse=True)
    for leader in order:
        if leader in leader_of:
            continue
        leader_of[leader] = leader
        for member in neighbours.get(leader, ()):
            leader_of.setdefault(member, leader)

    copies: dict[int, int] = {}
    first_seen: dict[int, int] = {}
    for index in range(len(unique)):
        leader = leader_of[index]
        copies[leader] = copies.get(leader, -1) + 1 + url_copies[index]
        first_seen.setdefault(leader, index)

    items = [
        unique[leader].model_copy(update={"duplicate_count": copies[leader]})
        for leader in sorted(first_seen, key=first_seen.__getitem__)
    ]
    removed = original_count - len(items)
    return DedupResult(items=items, original_count=original_count, duplicates_removed=removed)
