"""Evidence words and Korean reasoning sentences (no torch: shared by the engine and the fallback).

Evidence for a model prediction is chosen in this order (see docs/ml.md):
1. `evidence.json` in the category model directory (written by training): the words of the article
   that appear in the predicted label's word → weight table, highest weight first.
2. Otherwise a "token lens": the engine applies the model's own classification head to every token's
   final hidden state (already computed by the forward pass, so it costs one small matrix product) and
   scores each token by the log-probability it gives the predicted label. Word pieces are merged into
   words (score = best piece); words matching the keyword lexicon of the label come first, then the
   remaining words that score above the article's mean.
   This also covers articles in which none of the `evidence.json` words occur.
3. If the head is of an unknown shape, only the lexicon matches are used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from app.ml.labels import canonical_label
from app.ml.lexicon import CATEGORY_TERMS

MAX_EVIDENCE = 5
_MAX_KEY_CHARS = 16
_CHUNK = re.compile(r"[^\W_]+", re.UNICODE)
_HAS_LETTER = re.compile(r"[가-힣A-Za-z]")
_SPECIAL = re.compile(r"^\[[A-Z]+\]$|^<[/a-z]*s>$|^<(pad|unk|mask)>$")
# Particles and common predicate endings removed from evidence words for display (stem keeps ≥ 2 chars).
_SUFFIXES = sorted(
    """에서는 으로는 에게서 이라는 까지 부터 에서 에게 으로 라는 과의 와의 에는 에도 했다 한다 하며 하고
    된다 됐다 되는 하는 했고 해야 들이 들은 은 는 이 가 을 를 의 에 와 과 도 만 로 들""".split(),
    key=len,
    reverse=True,
)

# Function words that say nothing about a label, even when a model attends to them.
_STOPWORDS = frozenset("""
    위해 위한 통해 대한 대해 관련 이번 지난 올해 오늘 최근 이날 현재 당시 이후 이전 때문 가운데 경우 것으로
    밝혔다 했다 있다 없다 있는 없는 있는데 한다 된다 말했다 전했다 등을 등의 또한 그리고 하지만 이라고 라고
    """.split())

_DESCRIPTIONS = {
    "E": ("환경(E)", "환경 관련"),
    "S": ("사회(S)", "사회 관련"),
    "G": ("지배구조(G)", "지배구조 관련"),
    "기타": ("기타", "ESG와 직접 관련이 적은"),
}


def strip_particle(word: str) -> str:
    """`삼성전자가` → `삼성전자`; leaves words whose stem would be shorter than two characters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


def _with_ro(name: str) -> str:
    """Attach the particle 으로/로 (after the word before any parenthesis)."""
    base = name.split("(", maxsplit=1)[0]
    last = base[-1] if base else ""
    if "가" <= last <= "힣":
        jong = (ord(last) - 0xAC00) % 28
        return f"{name}{'로' if jong in (0, 8) else '으로'}"  # 8 = ㄹ
    return f"{name}(으)로"


def category_reasoning(label: str, confidence: float, evidence: Sequence[str], *, rules: bool = False) -> str:
    """One Korean sentence explaining a category decision."""
    display, topic = _DESCRIPTIONS.get(label, (label, f"{label} 관련"))
    kind_obj, kind_subj = ("키워드를", "키워드가") if rules else ("표현을", "표현이")
    how = f"키워드 규칙, 신뢰도 {confidence:.2f}" if rules else f"신뢰도 {confidence:.2f}"
    if evidence:
        quoted = ", ".join(f"'{w}'" for w in evidence[:3])
        return f"{quoted} 등 {topic} {kind_obj} 근거로 {_with_ro(display)} 분류했습니다 ({how})."
    if label == "기타":
        return f"ESG 관련 {kind_subj} 뚜렷하지 않아 기타로 분류했습니다 ({how})."
    return f"뚜렷한 단서 없이 문맥 전체를 보고 {_with_ro(display)} 분류했습니다 ({how})."


class EvidenceTable:
    """Word → weight per canonical label, from a training pipeline's `evidence.json`."""

    def __init__(self, labels: Mapping[str, Mapping[str, float]]):
        self._words: dict[str, dict[str, tuple[str, float]]] = {}
        self._phrases: dict[str, list[tuple[str, str, float]]] = {}
        for label, table in labels.items():
            words = self._words.setdefault(label, {})
            phrases = self._phrases.setdefault(label, [])
            for word, weight in table.items():
                key = word.strip().casefold()
                if not key or weight <= 0:
                    continue
                if " " in key:
                    phrases.append((key, word.strip(), float(weight)))
                elif len(key) <= _MAX_KEY_CHARS:
                    words[key] = (word.strip(), float(weight))

    @classmethod
    def load(cls, path: Path) -> EvidenceTable:
        """Parse `{"version": 1, "labels": {label: {word: weight}}}`; raises ValueError when malformed."""
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
        if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("labels"), dict):
            raise ValueError(f"{path.name}: expected {{'version': 1, 'labels': {{...}}}}")
        labels: dict[str, dict[str, float]] = {}
        for label, table in data["labels"].items():
            if not isinstance(table, dict):
                raise ValueError(f"{path.name}: labels.{label} must be an object of word → weight")
            clean = {str(w): float(v) for w, v in table.items() if isinstance(v, int | float)}
            labels.setdefault(canonical_label("category", str(label)), {}).update(clean)
        return cls(labels)

    def has(self, label: str) -> bool:
        """Whether the table has words for `label`."""
        return bool(self._words.get(label) or self._phrases.get(label))

    def top_words(self, label: str, text: str, k: int = MAX_EVIDENCE) -> list[str]:
        """The ≤ k words of `label`'s table found in `text`, highest weight first."""
        words = self._words.get(label, {})
        found: dict[str, float] = {}
        folded = text.casefold()
        for chunk in _CHUNK.findall(folded):
            for i in range(len(chunk)):
                for j in range(i + 1, min(len(chunk), i + _MAX_KEY_CHARS) + 1):
                    hit = words.get(chunk[i:j])
                    if hit:
                        found[hit[0]] = hit[1]
        for key, word, weight in self._phrases.get(label, []):
            if key in folded:
                found[word] = weight
        return _dedupe(sorted(found, key=lambda w: (-found[w], w)), k)


def _dedupe(words: Iterable[str], k: int) -> list[str]:
    """Keep order; drop a word contained in (or containing) one already kept."""
    kept: list[str] = []
    for word in words:
        if any(word in other or other in word for other in kept):
            continue
        kept.append(word)
        if len(kept) == k:
            break
    return kept


def is_special(token: str) -> bool:
    """Tokenizer control tokens such as [CLS], [SEP], <s>, <pad>."""
    return bool(_SPECIAL.match(token))


def merge_wordpieces(tokens: Sequence[str], scores: Sequence[float]) -> list[tuple[str, float]]:
    """Join `##` continuation pieces into words (score = best piece) and drop special tokens."""
    words: list[tuple[str, float]] = []
    for token, score in zip(tokens, scores, strict=True):
        if is_special(token):
            continue
        if token.startswith("##") and words:
            word, best = words[-1]
            words[-1] = (word + token[2:], max(best, score))
        else:
            words.append((token.removeprefix("##"), score))
    return words


def words_from_spans(
    text: str, spans: Sequence[tuple[int, int] | None], scores: Sequence[float]
) -> list[tuple[str, float]]:
    """Group tokens into words by character span (None = special token); score = best token's."""
    words: list[tuple[int, int, float]] = []
    for span, score in zip(spans, scores, strict=True):
        if span is None or span[0] == span[1]:
            continue
        start, end = span
        # A token that starts where the previous one ended, between two letters/digits, continues that word.
        joined = start > 0 and text[start - 1].isalnum() and text[start].isalnum()
        if words and start == words[-1][1] and joined:
            prev_start, _, best = words[-1]
            words[-1] = (prev_start, end, max(best, score))
        else:
            words.append((start, end, score))
    return [(text[s:e], score) for s, e, score in words]


def lexicon_terms(label: str) -> dict[str, float]:
    """Keyword-lexicon terms of a category label (empty for extra labels such as FIN)."""
    return CATEGORY_TERMS.get(label, {})


def choose_evidence(label: str, words: Sequence[tuple[str, float]] | None, text: str,
                    k: int = MAX_EVIDENCE) -> list[str]:
    """Pick ≤ k evidence words from scored article words (token lens), or from the lexicon alone."""
    terms = lexicon_terms(label)
    folded_terms = [(t.casefold(), t) for t in terms]
    if words is None:
        folded = text.casefold()
        hits = [t for key, t in folded_terms if key in folded]
        return _dedupe(sorted(hits, key=lambda t: (-terms[t], -len(t), t)), k)
    best: dict[str, float] = {}
    for raw, score in words:
        word = strip_particle(raw.strip())
        if len(word) < 2 or not _HAS_LETTER.search(word) or word in _STOPWORDS or raw in _STOPWORDS:
            continue
        best[word] = max(score, best.get(word, float("-inf")))
    if not best:
        return []
    mean = sum(best.values()) / len(best)
    in_lexicon = [w for w in best if any(key in w.casefold() for key, _ in folded_terms)]
    others = [w for w in best if w not in in_lexicon and best[w] > mean]
    ranked = sorted(in_lexicon, key=lambda w: -best[w]) + sorted(others, key=lambda w: -best[w])
    return _dedupe(ranked, k)


# Words every kind of news uses: never evidence for a label, whatever weight a model gives them
# (verbs and adjectives in the dictionary form the evidence shows them in).
_GENERIC_NOUNS = frozenset("""
    하다 되다 있다 없다 않다 대하다 위하다 통하다 따르다 밝히다 말하다 전하다 보다 이다 같다 받다 주다
    가다 오다
    올해 지난해 작년 내년 이날 당일 최근 현재 향후 이번 지난달 이달 다음달 오전 오후 기자 뉴스 연합뉴스 뉴시스
    회사 기업 업체 업계 관계자 측 대표 고객 국내 해외 전년 전년도 동기 분기 규모 수준 이상 이하 가운데
    관련 대상
    """.split())
_NOUNISH = ("NNG", "NNP", "XR", "SL")
_PLACEHOLDER_ROWS = 64


def morpheme_evidence(text: str, enc: Any, row: int, scores: Sequence[float],
                      k: int = MAX_EVIDENCE) -> list[str]:
    """Content words whose per-token contribution pushed a Kiwi model towards its label, strongest first.

    Adjacent nouns form one compound (폐수 + 방류 → 폐수방류 only when written together); verbs and
    adjectives show as their dictionary form (줄이 → 줄이다). Words Kiwi's vectors do not know
    (placeholder rows, e.g. company names) and generic nouns are never evidence.
    """
    from app.ml.morphemes import EVIDENCE_TAGS

    words: list[tuple[str, float, int]] = []  # (word, score, end offset)
    tokens = zip(enc.offsets[row], enc.tags[row], enc.forms[row], enc.ids[row], scores, strict=False)
    for (start, end), tag, form, token_row, score in tokens:
        surface = form + "다" if tag in {"VV", "VA"} else text[start:end]
        if tag not in EVIDENCE_TAGS or token_row < _PLACEHOLDER_ROWS or not surface:
            continue
        if tag in _NOUNISH and words and words[-1][2] == start and words[-1][0][-1:].isalnum():
            prev, prev_score, _ = words[-1]
            words[-1] = (prev + surface, max(prev_score, score), end)
            continue
        words.append((surface, score, end))
    best: dict[str, float] = {}
    for word, score, _ in words:
        if len(word) < 2 or word in _GENERIC_NOUNS or word in _STOPWORDS or score <= 0:
            continue
        best[word] = max(score, best.get(word, float("-inf")))
    return _dedupe(sorted(best, key=lambda w: -best[w]), k)
