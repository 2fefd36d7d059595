"""Korean keyword extraction (nouns via kiwipiepy) for trending and summaries."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from app.domain.morphology import tokenized

# Nouns that carry no topic in news headlines.
STOP_WORDS = frozenset(
    """
    기자 뉴스 속보 단독 종합 사진 영상 오늘 내일 어제 올해 지난해 내년 이번 지난 최근 관련 대한 위해
    통해 대해 이상 이하 가운데 경우 때문 정도 전망 예정 계획 발표 진행 시작 사업 기업 회사 업계 분야
    부문 국내 해외 글로벌 한국 서울 대표 회장 사장 부회장 임원 관계자 측 등 것 수 중 및 전 후 만 억
    조 원 달러 개 명 년 월 일 곳 곳곳 위 건 차 시 분 간 주 말 초 내 외 만원 억원 조원 퍼센트 포인트
    이날 당시 현재 향후 상황 문제 가능성 모습 의미
    """.split()
)
_NOUN_TAGS = ("NNG", "NNP", "SL")
# Pieces that belong to a compound when written without a space: 폐+배터리, RE+100, 재+활용.
_JOINABLE = (*_NOUN_TAGS, "SN", "XPN")


class KeywordExtractor:
    """Korean nouns via the process's shared Kiwi analyzer; safe to call from worker threads."""

    def warmup(self) -> None:
        """Load the analyzer now (about a second of CPU) rather than on the first request."""
        self.nouns(["삼성전자 탄소중립"])

    def nouns(self, texts: Sequence[str]) -> list[list[str]]:
        """Content nouns (and Latin words such as ESG, RE100) of each text, in order of appearance."""
        if not texts:
            return []
        result: list[list[str]] = []
        for tokens in tokenized(texts):
            words = []
            for compound in _compounds(tokens):
                form = unicodedata.normalize("NFKC", compound)
                if len(form) >= 2 and form not in STOP_WORDS and not form.isdigit():
                    words.append(form.upper() if form.isascii() and len(form) <= 6 else form)
            result.append(words)
        return result

    def top_keywords(
        self, texts: Sequence[str], *, exclude: Iterable[str] = (), limit: int = 10
    ) -> list[str]:
        """Most frequent nouns across texts, counted once per text, excluding e.g. the company name."""
        excluded = {unicodedata.normalize("NFKC", e).casefold() for e in exclude}
        counts: Counter[str] = Counter()
        for words in self.nouns(texts):
            counts.update({w for w in words if w.casefold() not in excluded})
        return [word for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def _compounds(tokens: Sequence[Any]) -> list[str]:
    """Join runs of adjacent noun-like tokens; keep runs that contain a real noun or Latin word."""
    runs: list[str] = []
    current: list[Any] = []

    def flush() -> None:
        if any(t.tag.startswith(_NOUN_TAGS) for t in current):
            runs.append("".join(t.form for t in current))
        current.clear()

    for token in tokens:
        if not token.tag.startswith(_JOINABLE):
            flush()
            continue
        if current and token.start != current[-1].start + current[-1].len:
            flush()
        current.append(token)
    flush()
    return runs
