"""What two reports of one event share: salient words, normalised figures, quoted phrases.

Features are computed once per article (Kiwi is the expensive part) and kept in a bounded cache keyed by
the article's text, so folding the same articles again, or a page that overlaps the previous one,
analyses only what is new.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from app.domain.morphology import tokenized

# Content morphemes: common and proper nouns, roots, Latin words, Chinese characters.
_CONTENT = ("NNG", "NNP", "XR", "SL", "SH")
_JOIN = (*_CONTENT, "SN", "XPN", "XSN")
# Words every company article uses: they say nothing about which event it is.
_GENERIC = frozenset("""
    기자 뉴스 속보 단독 종합 사진 영상 오늘 내일 어제 올해 지난해 작년 내년 이번 지난 최근 이날 당시 현재 향후
    관련 대한 위해 통해 대해 이상 이하 가운데 경우 때문 정도 전망 예정 계획 발표 진행 시작 사업 기업 회사 업계
    분야 부문 국내 해외 글로벌 대표 관계자 측 등 것 수 중 및 전 후 만 억 조 원 달러 명 년 월 일 곳 위 건 차 시
    분 간 주 말 초 내 외 대비 기준 규모 수준 전년 동기 바 데 뿐 따르 밝히 설명 이어 한편 그러나 또한 다만 이날
    """.split())
_QUOTE = re.compile(r"[\"“”'‘’「」『』]([^\"“”'‘’「」『』]{4,40})[\"“”'‘’「」『』]")
_NUMBER_RUN = re.compile(
    r"(?:\d[\d,]*(?:\.\d+)?\s*(?:조|억|만|천|백)?\s*)+(?:원|달러|유로|엔|%|퍼센트|%p|배|명|대|건|톤|t|단|분기|Q|"
    r"개|곳|척|기|주|MW|GW|kWh|GWh|㎿|㎾)?"
)
_UNITS = "원|달러|유로|엔|%p|%|퍼센트|배|명|대|건|톤|t|단|분기|Q|개|곳|척|기|주|MW|GW|kWh|GWh|㎿|㎾"
_UNIT = re.compile(f"({_UNITS})$")
_PART = re.compile(r"(\d[\d,]*(?:\.\d+)?)?\s*(조|억|만|천|백)?")
_BIG = {"조": 1e12, "억": 1e8, "만": 1e4}
_SMALL = {"천": 1e3, "백": 1e2}
_UNIT_CLASS = {"원": "money", "달러": "usd", "유로": "eur", "엔": "jpy", "%": "pct", "퍼센트": "pct",
               "%p": "pp", "분기": "quarter", "Q": "quarter", "t": "톤", "㎿": "MW", "㎾": "kW"}
_CACHE_SIZE = 50_000


@dataclass(frozen=True)
class Figure:
    """A number with its unit class (`money`, `pct`, `quarter`, `명`, …); value in base units."""

    value: float
    unit: str

    def matches(self, other: Figure) -> bool:
        """Same unit and equal within rounding (2.54조 = 2조5373억; 37% = 37.0%)."""
        if self.unit != other.unit:
            return False
        if self.value == other.value:
            return True
        big = max(abs(self.value), abs(other.value))
        return big > 0 and abs(self.value - other.value) / big <= 0.02


def figure_key(figure: Figure) -> str:
    """Two significant digits: 2.54조 and 2조5373억 and 2조5천억 all read `money:2.5e+12`."""
    return f"{figure.unit}:{float(f'{figure.value:.2g}'):g}"


def figure_kinds(figures: tuple[Figure, ...], *, exclude: tuple[str, ...] = (),
                 only: tuple[str, ...] | None = None) -> dict[str, frozenset[str]]:
    """Figure keys grouped by kind of figure (money, pct, quarter, 명 …)."""
    kinds: dict[str, set[str]] = {}
    for figure in figures:
        if figure.unit in exclude or (only is not None and figure.unit not in only):
            continue
        kinds.setdefault(figure.unit, set()).add(figure_key(figure))
    return {unit: frozenset(keys) for unit, keys in kinds.items()}


@dataclass(frozen=True)
class StoryFeatures:
    """Salient words of headline and whole text, figures of headline and whole text, quoted phrases."""

    words: frozenset[str]
    title_words: frozenset[str]
    figures: tuple[Figure, ...]
    title_figures: tuple[Figure, ...]

    @functools.cached_property
    def figure_keys(self) -> frozenset[str]:
        """Every figure's key (shared keys are shared figures)."""
        return frozenset(figure_key(f) for f in self.figures)

    @functools.cached_property
    def title_kinds(self) -> dict[str, frozenset[str]]:
        """The headline's figures by kind, quarters aside."""
        return figure_kinds(self.title_figures, exclude=("quarter",))

    @functools.cached_property
    def text_kinds(self) -> dict[str, frozenset[str]]:
        """The whole text's figures by kind, quarters aside."""
        return figure_kinds(self.figures, exclude=("quarter",))

    @functools.cached_property
    def quarters(self) -> dict[str, frozenset[str]]:
        """The quarters the text names."""
        return figure_kinds(self.figures, only=("quarter",))


def _number(text: str) -> float | None:
    """`1,628` → 1628.0; `2.54` → 2.54."""
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def parse_figure(expression: str) -> Figure | None:
    """One number expression in Korean notation: `1천628억원`, `2조 5373억 원`, `0.16조원`, `37%`, `3분기`."""
    expression = expression.strip()
    unit_match = _UNIT.search(expression)
    unit = unit_match.group(1) if unit_match else ""
    body = expression[: unit_match.start()] if unit_match else expression
    total, pending, seen = 0.0, 0.0, False
    for number, scale in _PART.findall(body.replace(" ", "")):
        if not number and not scale:
            continue
        value = _number(number) if number else 1.0
        if value is None:
            return None
        seen = True
        if scale in _BIG:
            total += (pending + value) * _BIG[scale]
            pending = 0.0
        elif scale in _SMALL:
            pending += value * _SMALL[scale]
        else:
            pending += value
    if not seen:
        return None
    value = total + pending
    unit_class = _UNIT_CLASS.get(unit, unit or "count")
    if unit_class == "count" and 1900 <= value <= 2100 and value == int(value):
        return None  # a bare year is context ("2030년까지"), not a fact of the event
    return Figure(value, unit_class)


def figures_of(text: str) -> tuple[Figure, ...]:
    """Every figure in a text, years and bare small counts left out."""
    found: list[Figure] = []
    for match in _NUMBER_RUN.finditer(unicodedata.normalize("NFKC", text)):
        raw = match.group(0).strip()
        if not raw or not any(ch.isdigit() for ch in raw):
            continue
        figure = parse_figure(raw)
        if figure is None or (figure.unit == "count" and figure.value < 10):
            continue
        found.append(figure)
    return tuple(found)


def _words(tokens: list[object], end: int | None = None) -> set[str]:
    """Content morphemes and the compounds written as one word (폐수 + 방류 → 폐수방류 as well)."""
    words: set[str] = set()
    run: list[str] = []
    last_end = -1
    for token in tokens:
        start = token.start  # type: ignore[attr-defined]
        if end is not None and start >= end:
            break
        tag = token.tag.split("-", 1)[0]  # type: ignore[attr-defined]
        form = unicodedata.normalize("NFKC", token.form).casefold()  # type: ignore[attr-defined]
        if tag.startswith(_JOIN) and (start == last_end and run):
            run.append(form)
        else:
            if len(run) > 1:
                words.add("".join(run))
            run = [form] if tag.startswith(_JOIN) else []
        last_end = start + token.len  # type: ignore[attr-defined]
        if tag in _CONTENT and form not in _GENERIC and (len(form) >= 2 or tag == "SH"):
            words.add(form)
    if len(run) > 1:
        words.add("".join(run))
    return words


@functools.lru_cache(maxsize=1024)  # every page of a search refolds with the same query
def query_words(query: str) -> frozenset[str]:
    """The salient words of a search query, as `StoryFeatures.words` spells them."""
    if not query.strip():
        return frozenset()
    return frozenset(_words(next(iter(tokenized([query])))))


class FeatureCache:
    """Bounded LRU of `StoryFeatures` by article text; thread-safe."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[str, StoryFeatures] = OrderedDict()
        self._lock = threading.Lock()

    def features(self, titles: list[str], descriptions: list[str]) -> list[StoryFeatures]:
        """Features of each (title, description), analysing only texts not seen before."""
        keys = [f"{t}\n{d}" for t, d in zip(titles, descriptions, strict=True)]
        result: dict[str, StoryFeatures] = {}
        with self._lock:
            for key in keys:
                if key in self._items:
                    self._items.move_to_end(key)
                    result[key] = self._items[key]
        missing = list(dict.fromkeys(k for k in keys if k not in result))
        if missing:
            for key, tokens in zip(missing, tokenized(missing), strict=True):
                title = key.partition("\n")[0]
                quotes = {f"“{q.strip()}”" for q in _QUOTE.findall(key)}
                result[key] = StoryFeatures(
                    words=frozenset(_words(tokens) | quotes),
                    title_words=frozenset(_words(tokens, end=len(title))),
                    figures=figures_of(key),
                    title_figures=figures_of(title),
                )
            with self._lock:
                for key in missing:
                    self._items[key] = result[key]
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return [result[k] for k in keys]


FEATURES = FeatureCache()
