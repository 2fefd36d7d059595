"""The shipped classifier over Kiwi morphemes: frozen CoNg vectors → BiGRU → attention pool, plus a lexicon.

* Input layer: the CoNg morpheme vectors (centred), frozen, so a word never seen in training keeps its
  real vector and its neighbours' meaning; a learned projection adapts them to the task.
* Encoder: one bidirectional GRU (word order matters: "배출 늘어" vs "배출 줄여"), attention pooling with a
  learned headline/snippet segment embedding.
* Lexical component: a learned weight per morpheme and per adjacent morpheme pair (hashed), averaged
  over the text and added to the logits (fastText-style).
* Logits are divided by a temperature fitted on the dev set (calibration).

Every part of the logit is a sum over tokens (attention weight × head(token state), and each token's
lexical weights), so `token_scores` splits a decision into per-token contributions: the evidence words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

ARCHITECTURE = "KiwiCongClassifier"
_BIGRAM_PRIME = 1_000_003


@dataclass
class ClassifierOutput:
    """Logits [B, L] and, when asked, per-token contributions [B, T, L]."""

    logits: torch.Tensor
    token_scores: torch.Tensor | None = None


class KiwiCongClassifier(nn.Module):
    """See the module docstring; `config` is the model set's `config.json` minus labels."""

    def __init__(self, config: dict[str, Any], vectors: tuple[torch.Tensor, torch.Tensor] | None = None):
        super().__init__()
        self.config = dict(config)
        vocab, dim = int(config["vocab_size"]), int(config["embedding_dim"])
        hidden, labels = int(config["hidden_size"]), int(config["num_labels"])
        self.random_embeddings = config.get("embeddings", "cong") == "random"
        if self.random_embeddings:  # ablation only: the same network without the pretrained vectors
            self.embedding = nn.Embedding(vocab, dim)
        self.register_buffer("vectors_int8", torch.zeros((vocab, dim), dtype=torch.int8), persistent=False)
        self.register_buffer("vectors_scale", torch.zeros(vocab), persistent=False)
        self.register_buffer("vectors_mean", torch.zeros(dim), persistent=False)
        if vectors is not None:
            self.set_vectors(*vectors)
        # Fine-tuning of the vectors of the words training saw: a learned offset per seen row, so that a
        # word never seen keeps exactly its CoNg vector. Only those rows are stored.
        rows = torch.tensor(config.get("tuned_rows") or [], dtype=torch.long)
        self.tuned = nn.Embedding(len(rows), dim) if len(rows) else None
        if self.tuned is not None:
            nn.init.zeros_(self.tuned.weight)
        lookup = torch.full((vocab,), -1, dtype=torch.long)
        lookup[rows] = torch.arange(len(rows))
        self.register_buffer("tuned_index", lookup, persistent=False)
        self.project = nn.Linear(dim, hidden)
        self.segment = nn.Embedding(3, hidden)
        self.dropout = nn.Dropout(float(config.get("dropout", 0.3)))
        self.encoder = nn.GRU(hidden, hidden // 2, batch_first=True, bidirectional=True) \
            if config.get("encoder", "bigru") == "bigru" else None
        self.attention = nn.Linear(hidden, 1)
        self.head = nn.Linear(hidden, labels)
        buckets = int(config.get("lexical_buckets", 0))
        self.lexical = nn.Embedding(buckets, labels) if buckets else None
        if self.lexical is not None:
            nn.init.zeros_(self.lexical.weight)
        self.register_buffer("temperature", torch.tensor(float(config.get("temperature", 1.0))))

    def set_vectors(self, int8: torch.Tensor, scale: torch.Tensor) -> None:
        """Install the frozen CoNg matrix (int8 rows × scale) and its mean for centring."""
        self.vectors_int8 = int8.to(torch.int8)
        self.vectors_scale = scale.float()
        self.vectors_mean = (int8.float() * scale.float()[:, None]).mean(dim=0)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """Input vectors: CoNg rows minus the vocabulary mean (the raw rows share a rarity direction)."""
        if self.random_embeddings:
            return self.embedding(ids)
        rows = self.vectors_int8[ids].float() * self.vectors_scale[ids][..., None] - self.vectors_mean
        if self.tuned is not None:
            index = self.tuned_index[ids]  # type: ignore[index]
            rows = rows + self.tuned(index.clamp(min=0)) * (index >= 0)[..., None]
        return rows

    def _lexical_ids(self, ids: torch.Tensor,
                     mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        assert self.lexical is not None
        buckets = self.lexical.num_embeddings
        unigrams = ids % buckets
        nxt = torch.roll(ids, shifts=-1, dims=1)
        bigrams = (ids * _BIGRAM_PRIME + nxt) % buckets
        pair_mask = mask & torch.roll(mask, shifts=-1, dims=1)
        pair_mask[:, -1] = False
        return unigrams, bigrams.masked_fill(~pair_mask, 0), pair_mask

    def forward(self, input_ids: torch.Tensor, segment_ids: torch.Tensor,
                word_ids: torch.Tensor | None = None, *, token_scores: bool = False) -> ClassifierOutput:
        """Logits for a padded batch (padding is segment 0); `word_ids` (Kiwi ids) key the lexicon."""
        mask = segment_ids > 0
        lengths = mask.sum(dim=1).clamp(min=1)
        x = torch.tanh(self.project(self.embed(input_ids)) + self.segment(segment_ids))
        x = self.dropout(x)
        if self.encoder is not None:
            packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            out, _ = self.encoder(packed)
            h, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        else:
            h = x
        h = self.dropout(h)
        weights = self.attention(h).squeeze(-1).masked_fill(~mask, float("-inf")).softmax(dim=-1)
        per_token = weights[..., None] * self.head(h)  # [B, T, L]: sums to the pooled head output
        logits = per_token.sum(dim=1)  # the weights sum to 1, so the head's bias is counted once
        if self.lexical is not None:
            words = input_ids if word_ids is None else word_ids
            unigrams, bigrams, pair_mask = self._lexical_ids(words, mask)
            count = lengths.float()[:, None, None]
            uni = self.lexical(unigrams) * mask[..., None] / count
            bi = self.lexical(bigrams) * pair_mask[..., None] / count
            # A pair's weight is shared by its two tokens, so each token's contribution stays local.
            lexical = uni + bi / 2 + torch.roll(bi, shifts=1, dims=1) / 2
            per_token = per_token + lexical
            logits = logits + lexical.sum(dim=1)
        logits = logits / self.temperature
        return ClassifierOutput(logits, per_token / self.temperature if token_scores else None)
