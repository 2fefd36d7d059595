"""Batched inference over one loaded model set (both tasks) on one device.

`predict(texts)` is synchronous and runs on the single inference thread (`app.ml.worker`): texts are
tokenised once (once for both models when their tokenizers are identical), sorted by token length,
run in mini-batches of `batch_size` with padding only to the longest text of each mini-batch, and the
results are put back in input order. Evidence comes from `evidence.json` when the model ships one,
otherwise from a token lens over the category model's last hidden states (see `app.ml.explain`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from app.domain.models import ArticleAnalysis, Classification, SentimentResult
from app.ml.explain import (
    category_reasoning,
    choose_evidence,
    merge_wordpieces,
    morpheme_evidence,
    words_from_spans,
)
from app.ml.labels import SCORE_KEYS
from app.ml.loader import LoadedModelSet, LoadedTask
from app.ml.morphemes import MAX_TOKENS, MorphemeEncoded
from app.ml.registry import KIWI_PIPELINE

_CHARS_PER_TOKEN_CAP = 12  # texts are cut to max_length × this many characters before tokenising

Head = Callable[[torch.Tensor], torch.Tensor]


def token_head(model: Any) -> Head | None:
    """The model's classification head as a per-token function [..., H] → [..., labels], when recognisable."""
    classifier = getattr(model, "classifier", None)
    pooler = getattr(getattr(model, "base_model", None), "pooler", None)
    if classifier is None:
        return None
    pre = getattr(model, "pre_classifier", None)
    if pre is not None:  # DistilBERT: CLS → pre_classifier → ReLU → classifier
        return lambda h: classifier(torch.relu(pre(h)))
    if pooler is not None and hasattr(pooler, "dense") and not hasattr(classifier, "out_proj"):
        activation = getattr(pooler, "activation", torch.tanh)
        return lambda h: classifier(activation(pooler.dense(h)))  # BERT family: pooler(CLS) → linear
    if hasattr(classifier, "out_proj") and hasattr(classifier, "dense"):
        # RoBERTa / ELECTRA heads read position 0: present every token as its own length-1 sequence.
        return lambda h: classifier(h.reshape(-1, 1, h.shape[-1])).reshape(*h.shape[:-1], -1)
    return None


class _Encoded:
    """Unpadded token ids (and character offsets, for fast tokenizers) of a list of texts."""

    def __init__(self, task: LoadedTask, texts: Sequence[str], max_length: int, offsets: bool):
        tok = task.tokenizer
        want_offsets = offsets and bool(getattr(tok, "is_fast", False))
        enc = tok(
            list(texts),
            truncation=True,
            max_length=max_length,
            padding=False,
            return_attention_mask=False,
            return_token_type_ids=False,
            return_offsets_mapping=want_offsets,
        )
        self.ids: list[list[int]] = enc["input_ids"]
        self.offsets: list[list[tuple[int, int]]] | None = enc.get("offset_mapping") if want_offsets else None
        self.pad_id: int = tok.pad_token_id if tok.pad_token_id is not None else 0
        self.tokenizer = tok

    def batch(self, rows: Sequence[int], device: str) -> dict[str, torch.Tensor]:
        width = max(len(self.ids[r]) for r in rows)
        ids = [self.ids[r] + [self.pad_id] * (width - len(self.ids[r])) for r in rows]
        mask = [[1] * len(self.ids[r]) + [0] * (width - len(self.ids[r])) for r in rows]
        return {
            "input_ids": torch.tensor(ids, dtype=torch.long, device=device),
            "attention_mask": torch.tensor(mask, dtype=torch.long, device=device),
        }


Encoded = _Encoded | MorphemeEncoded


def _encode(task: LoadedTask, texts: Sequence[str], max_length: int, *, offsets: bool) -> Encoded:
    """Token ids the way the task's model set reads text: its HF tokenizer, or Kiwi morphemes."""
    if task.pipeline == KIWI_PIPELINE:
        return MorphemeEncoded(texts, task.tokenizer, min(max_length, MAX_TOKENS))
    return _Encoded(task, texts, max_length, offsets)


class InferenceEngine:
    """Category + sentiment inference for one model set; not thread-safe (one worker thread uses it)."""

    WARMUP_TEXTS = ("삼성전자가 탄소 배출을 줄였다", "이사회가 배당을 결의했다")

    def __init__(self, models: LoadedModelSet, *, batch_size: int = 32, max_length: int = 256):
        self.models = models
        self.name = models.name
        self.device = models.device.device
        self.fingerprint = models.fingerprint
        self.batch_size = batch_size
        self.max_length = max_length
        self._evidence = models.category.evidence
        self._lens = token_head(models.category.model) if models.category.pipeline != KIWI_PIPELINE else None

    def warmup(self) -> None:
        """Run one tiny batch so the first request does not pay for lazy initialisation."""
        self.predict(list(self.WARMUP_TEXTS))

    def predict(self, texts: Sequence[str]) -> list[ArticleAnalysis]:
        """One analysis per text, in input order."""
        if not texts:
            return []
        cap = self.max_length * _CHARS_PER_TOKEN_CAP
        texts = [(t or "")[:cap] for t in texts]
        cat = _encode(self.models.category, texts, self.max_length, offsets=True)
        sent = cat if self.models.shared_tokenizer else _encode(
            self.models.sentiment, texts, self.max_length, offsets=False
        )
        order = sorted(range(len(texts)), key=lambda i: len(cat.ids[i]))
        results: list[ArticleAnalysis | None] = [None] * len(texts)
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                for row, analysis in zip(rows, self._run_batch(texts, rows, cat, sent), strict=True):
                    results[row] = analysis
        return [r for r in results if r is not None]

    def _category_forward(
        self, inputs: dict[str, torch.Tensor]
    ) -> tuple[torch.Tensor, list[list[float]] | None]:
        """Category probabilities and, per token, how much it supports the predicted label."""
        model = self.models.category.model
        if self.models.category.pipeline == KIWI_PIPELINE:
            out = model(**inputs, token_scores=True)
            probs = torch.softmax(out.logits.float(), dim=-1)
            contrib = out.token_scores.float()
            # Support for the chosen label over the average label: what moved the decision towards it.
            margin = contrib - contrib.mean(dim=-1, keepdim=True)
            picked = margin.gather(-1, probs.argmax(-1)[:, None, None].expand(-1, margin.shape[1], 1))
            return probs, picked.squeeze(-1).cpu().tolist()
        out = model(**inputs, output_hidden_states=self._lens is not None)
        probs = torch.softmax(out.logits.float(), dim=-1)
        if self._lens is None:
            return probs, None
        lens = torch.log_softmax(self._lens(out.hidden_states[-1]).float(), dim=-1)
        picked = lens.gather(-1, probs.argmax(dim=-1)[:, None, None].expand(-1, lens.shape[1], 1))
        return probs, picked.squeeze(-1).cpu().tolist()

    def _run_batch(
        self, texts: Sequence[str], rows: Sequence[int], cat: Encoded, sent: Encoded
    ) -> list[ArticleAnalysis]:
        cat_inputs = cat.batch(rows, self.device)
        cat_probs, token_scores = self._category_forward(cat_inputs)
        sent_inputs = cat_inputs if sent is cat else sent.batch(rows, self.device)
        sent_probs = torch.softmax(self.models.sentiment.model(**sent_inputs).logits.float(), dim=-1)
        cat_rows = cat_probs.cpu().tolist()
        sent_rows = sent_probs.cpu().tolist()
        out = []
        for k, row in enumerate(rows):
            scores = token_scores[k][: len(cat.ids[row])] if token_scores is not None else None
            out.append(
                ArticleAnalysis(
                    esg_classification=self._category(texts[row], cat_rows[k], cat, row, scores),
                    sentiment_analysis=self._sentiment(sent_rows[k]),
                )
            )
        return out

    def _category(
        self, text: str, probs: list[float], enc: Encoded, row: int, scores: list[float] | None
    ) -> Classification:
        labels = self.models.category.labels
        best = max(range(len(probs)), key=probs.__getitem__)
        label, confidence = labels[best], round(probs[best], 4)
        evidence: list[str] = []
        if self._evidence is not None and self._evidence.has(label):
            evidence = self._evidence.top_words(label, text)
        if not evidence and isinstance(enc, MorphemeEncoded):
            evidence = morpheme_evidence(text, enc, row, scores or [])
        elif not evidence:
            words = None
            if scores is not None and enc.offsets is not None:
                spans = [(s, e) if e > s else None for s, e in enc.offsets[row]]
                words = words_from_spans(text, spans, scores)
            elif scores is not None and isinstance(enc, _Encoded):
                words = merge_wordpieces(enc.tokenizer.convert_ids_to_tokens(enc.ids[row]), scores)
            evidence = choose_evidence(label, words, text)
        return Classification(
            category=label,
            confidence=confidence,
            reasoning=category_reasoning(label, confidence, evidence),
            evidence=evidence,
        )

    def _sentiment(self, probs: list[float]) -> SentimentResult:
        # Mass of labels other than 긍정/중립/부정 (e.g. "mixed") is folded into neutral; a missing
        # canonical label simply scores 0.
        folded = {"긍정": 0.0, "중립": 0.0, "부정": 0.0}
        for label, p in zip(self.models.sentiment.labels, probs, strict=True):
            folded[label if label in folded else "중립"] += p
        total = sum(folded.values()) or 1.0
        folded = {k: v / total for k, v in folded.items()}
        label = max(folded, key=lambda k: (folded[k], k == "중립"))
        return SentimentResult(
            label=label,
            confidence=round(folded[label], 4),
            scores={SCORE_KEYS[k]: v for k, v in folded.items()},
        )
