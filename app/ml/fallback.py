"""Keyword-rule classifier used when no model set can be loaded (same output shape as the models).

Category: weighted lexicon hits per class (app/ml/lexicon.py); an ESG class needs a score of at least 1
(one usual keyword), otherwise the article is 기타. Confidence grows with the margin between the best and
second-best class: 0.35 + 0.55 · margin / (best + 1), so it stays below 0.9; no keyword at all gives
기타 with 0.30.

Sentiment: positive mass P and negative mass N from the lexicon, where a term followed within a few
characters by a flipping word changes side ("논란 해소", "우려 불식" count as positive, "수주 무산" as
negative). Mixed signals are neutral: scores ∝ (P − m + 0.5, 0.6 + m + U, N − m + 0.5) with m = min(P, N)
and U the weak neutral hints, so no keyword gives 중립 with 0.375 and nothing ever reaches 1.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.models import Article, ArticleAnalysis, Classification, ModelInfo, SentimentResult
from app.ml.explain import MAX_EVIDENCE, category_reasoning
from app.ml.labels import SCORE_KEYS
from app.ml.lexicon import CATEGORY_TERMS, FLIP_AFTER, FLIP_WINDOW, LEXICON_VERSION, SENTIMENT_TERMS
from app.services.ports import Classified

NAME = "keyword_fallback"
NO_KEYWORD_CONFIDENCE = 0.30
_ESG_MIN_SCORE = 1.0
_PRIOR = 0.5
_NEUTRAL_PRIOR = 0.6


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    term: str
    label: str
    weight: float


class _Matcher:
    """Longest-term-first, non-overlapping substring matcher over one lexicon family."""

    def __init__(self, lexicon: dict[str, dict[str, float]]):
        self._entries: dict[str, tuple[str, str, float]] = {}
        for label, terms in lexicon.items():
            for term, weight in terms.items():
                key = term.casefold()
                # A term listed under two labels keeps its strongest entry.
                if key not in self._entries or weight > self._entries[key][2]:
                    self._entries[key] = (term, label, weight)
        keys = sorted(self._entries, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(k) for k in keys))

    def find(self, folded: str) -> list[_Hit]:
        hits = []
        for m in self._pattern.finditer(folded):
            term, label, weight = self._entries[m.group(0)]
            hits.append(_Hit(m.start(), m.end(), term, label, weight))
        return hits


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


_FLIP = {label: re.compile("|".join(map(re.escape, words))) for label, words in FLIP_AFTER.items()}
_OPPOSITE = {"긍정": "부정", "부정": "긍정"}


class KeywordClassifier:
    """Rule-based ESG category and sentiment from Korean keyword lexicons."""

    name = NAME
    fingerprint = f"{NAME}-v{LEXICON_VERSION}"
    device = "cpu"

    def __init__(self, reason: str | None = None):
        self.reason = reason
        self._category = _Matcher(CATEGORY_TERMS)
        self._sentiment = _Matcher(SENTIMENT_TERMS)

    def info(self) -> ModelInfo:
        """Fallback status with the reason the models are not used."""
        return ModelInfo(
            model_name=NAME, device="cpu", ml_service_status="keyword_fallback", reason=self.reason
        )

    async def classify(self, articles: Sequence[Article]) -> Classified:
        """One analysis per article, in input order (cheap enough to run inline for small inputs)."""
        return Classified(self.info(), self.fingerprint, self.predict([a.text for a in articles]))

    def predict(self, texts: Sequence[str]) -> list[ArticleAnalysis]:
        """Synchronous batch form, used by the inference worker and evaluation."""
        return [self.analyze(t) for t in texts]

    def analyze(self, text: str) -> ArticleAnalysis:
        """Classify one text."""
        folded = _normalise(text)
        return ArticleAnalysis(
            esg_classification=self._classify_category(folded),
            sentiment_analysis=self._classify_sentiment(folded),
        )

    def _classify_category(self, folded: str) -> Classification:
        scores: dict[str, float] = defaultdict(float)
        per_term: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for hit in self._category.find(folded):
            scores[hit.label] += hit.weight
            per_term[hit.label][hit.term] += hit.weight
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked:
            return Classification(
                category="기타",
                confidence=NO_KEYWORD_CONFIDENCE,
                reasoning=category_reasoning("기타", NO_KEYWORD_CONFIDENCE, [], rules=True),
                evidence=[],
            )
        label, best = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if label != "기타" and best < _ESG_MIN_SCORE:
            label, best, second = "기타", scores.get("기타", 0.0), best
        margin = max(best - second, 0.0)
        confidence = round(0.35 + 0.55 * margin / (best + 1.0), 3) if best else NO_KEYWORD_CONFIDENCE
        terms = per_term.get(label, {})
        evidence = sorted(terms, key=lambda t: (-terms[t], -len(t)))[:MAX_EVIDENCE]
        return Classification(
            category=label,
            confidence=confidence,
            reasoning=category_reasoning(label, confidence, evidence, rules=True),
            evidence=evidence,
        )

    def _classify_sentiment(self, folded: str) -> SentimentResult:
        mass = {"긍정": 0.0, "중립": 0.0, "부정": 0.0}
        consumed: list[tuple[int, int]] = []
        for hit in self._sentiment.find(folded):
            if any(s <= hit.start < e for s, e in consumed):
                continue  # this word already served to flip the term before it
            label = hit.label
            if label in _FLIP:
                window = folded[hit.end : hit.end + FLIP_WINDOW + 6]
                flip = _FLIP[label].search(window)
                if flip and flip.start() <= FLIP_WINDOW:
                    label = _OPPOSITE[label]
                    consumed.append((hit.end + flip.start(), hit.end + flip.end()))
            mass[label] += hit.weight
        shared = min(mass["긍정"], mass["부정"])
        raw = {
            "긍정": mass["긍정"] - shared + _PRIOR,
            "중립": _NEUTRAL_PRIOR + shared + mass["중립"],
            "부정": mass["부정"] - shared + _PRIOR,
        }
        total = sum(raw.values())
        probs = {k: v / total for k, v in raw.items()}
        # Ties go to neutral: mixed evidence is not a decision.
        label = max(probs, key=lambda k: (probs[k], k == "중립"))
        return SentimentResult(
            label=label,
            confidence=round(probs[label], 4),
            scores={SCORE_KEYS[k]: p for k, p in probs.items()},
        )
