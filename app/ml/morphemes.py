"""The Kiwi-morpheme input pipeline: text → Kiwi morphemes → rows of the CoNg vector matrix.

A model set whose `config.json` says `"input_pipeline": "kiwi-cong"` reads its input this way instead of
through a Hugging Face tokenizer. Every morpheme Kiwi knows has a row, so a word never seen in training
still gets its real vector:

* Kiwi ids below the CoNg vocabulary size are their own row;
* allomorphs and dictionary-only words (는/JX → 은/JX, company names) have larger ids and no row of their
  own. Training resolves those it meets to Kiwi's language-model row and ships the table
  (`morpheme_rows.json`); at run time an id missing from the table takes its tag's placeholder row, which
  is what Kiwi's own language model does for words without a vector.

The headline and the snippet are told apart by the first line break of the text (`Article.text`), because
the headline's last predicate decides the label (data/LABELING.md, step 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

PIPELINE = "kiwi-cong"
ROWS_FILE = "morpheme_rows.json"
MAX_TOKENS = 160
# Punctuation, symbols and web tokens carry no meaning the vectors know.
_SKIP = ("SF", "SP", "SS", "SE", "SO", "SW", "SB", "W_")
# Tags of words worth showing as evidence (common nouns, roots, verbs, adjectives, adverbs, Latin words).
# Proper nouns are left out: a company's or a place's name is who and where, never why.
EVIDENCE_TAGS = ("NNG", "XR", "VV", "VA", "MAG", "SL")
TITLE, BODY = 1, 2


def base_tag(tag: str) -> str:
    """`VV-R` → `VV` (Kiwi marks regular/irregular conjugation after a dash)."""
    return tag.split("-", 1)[0]


@dataclass
class MorphemeRows:
    """Kiwi token → CoNg row: own id, the shipped table, or the tag's placeholder row."""

    vocab_size: int
    tag_rows: dict[str, int]
    table: dict[str, int] = field(default_factory=dict)  # "form/TAG" → row, for ids ≥ vocab_size

    @classmethod
    def from_kiwi(cls, kiwi: Any, vocab_size: int, table: dict[str, int] | None = None) -> MorphemeRows:
        """Placeholder rows are the vocabulary's first entries: an empty form with a POS tag."""
        tag_rows: dict[str, int] = {}
        for i in range(64):
            morpheme = kiwi.morpheme(i)
            if not morpheme.form and morpheme.tag not in tag_rows:
                tag_rows[str(morpheme.tag)] = i
        return cls(vocab_size, tag_rows, dict(table or {}))

    def row(self, form: str, tag: str, kiwi_id: int) -> int:
        """The row of one token."""
        if kiwi_id < self.vocab_size:
            return kiwi_id
        found = self.table.get(f"{form}/{tag}")
        if found is not None:
            return found
        return self.tag_rows.get(base_tag(tag), self.tag_rows.get("NNP", 0))

    def save(self, path: Path) -> None:
        """Write the resolved table (`morpheme_rows.json`)."""
        data = {"version": 1, "vocab_size": self.vocab_size, "table": dict(sorted(self.table.items()))}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    @staticmethod
    def load_table(path: Path) -> dict[str, int]:
        """Read a table written by `save`; raises ValueError when malformed."""
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
        table = data.get("table") if isinstance(data, dict) else None
        if not isinstance(table, dict) or not all(isinstance(v, int) for v in table.values()):
            raise ValueError(f"{path.name}: expected {{'version': 1, 'table': {{'form/TAG': row}}}}")
        return {str(k): int(v) for k, v in table.items()}


class MorphemeEncoded:
    """Rows, segments (headline 1, snippet 2) and character spans of a list of texts, unpadded."""

    def __init__(self, texts: Sequence[str], rows: MorphemeRows, max_tokens: int = MAX_TOKENS):
        from app.domain.morphology import tokenized

        self.ids: list[list[int]] = []
        self.segments: list[list[int]] = []
        self.offsets: list[list[tuple[int, int]]] = []
        self.tags: list[list[str]] = []
        self.forms: list[list[str]] = []
        self.kiwi_ids: list[list[int]] = []  # Kiwi's own ids: distinct words even where rows coincide
        self.pad_id = 0
        for text, tokens in zip(texts, tokenized(list(texts)), strict=True):
            split = text.find("\n")
            ids, segs, spans, tags, forms, kiwi = [], [], [], [], [], []
            for token in tokens:
                if token.tag.startswith(_SKIP):
                    continue
                ids.append(rows.row(token.form, token.tag, token.id))
                segs.append(TITLE if split < 0 or token.start < split else BODY)
                spans.append((token.start, token.start + token.len))
                tags.append(base_tag(token.tag))
                forms.append(token.form)
                kiwi.append(token.id)
                if len(ids) == max_tokens:
                    break
            if not ids:  # an empty or symbol-only text still needs one position
                ids, segs, spans, tags, forms = [rows.tag_rows.get("SW", 0)], [TITLE], [(0, 0)], ["SW"], [""]
                kiwi = [ids[0]]
            self.ids.append(ids)
            self.segments.append(segs)
            self.offsets.append(spans)
            self.tags.append(tags)
            self.forms.append(forms)
            self.kiwi_ids.append(kiwi)

    def headlines(self) -> MorphemeEncoded:
        """The same rows cut to their headline's morphemes (the service also classifies bare headlines)."""
        cut = object.__new__(MorphemeEncoded)
        cut.pad_id = self.pad_id
        fields = ("ids", "segments", "offsets", "tags", "forms", "kiwi_ids")
        for name in fields:
            setattr(cut, name, [])
        for row in range(len(self.ids)):
            n = sum(1 for s in self.segments[row] if s == TITLE) or len(self.ids[row])
            for name in fields:
                getattr(cut, name).append(getattr(self, name)[row][:n])
        return cut

    def batch(self, rows: Sequence[int], device: str) -> dict[str, Any]:
        """Padded tensors for the model's forward."""
        import torch

        width = max(len(self.ids[r]) for r in rows)
        ids = torch.zeros((len(rows), width), dtype=torch.long)
        segs = torch.zeros((len(rows), width), dtype=torch.long)
        words = torch.zeros((len(rows), width), dtype=torch.long)
        for k, r in enumerate(rows):
            n = len(self.ids[r])
            ids[k, :n] = torch.tensor(self.ids[r])
            segs[k, :n] = torch.tensor(self.segments[r])
            words[k, :n] = torch.tensor(self.kiwi_ids[r])
        return {"input_ids": ids.to(device), "segment_ids": segs.to(device), "word_ids": words.to(device)}


def resolve_rows(keys: Iterable[tuple[str, str]], vectors: np.ndarray) -> dict[str, int]:
    """Find the language-model row of Kiwi morphemes whose ids lie beyond the vector vocabulary.

    kiwipiepy has no call for it, but `most_similar_morphemes` ranks neighbours by the morpheme's LM row:
    the row whose cosines to those neighbours reproduce the reported scores is that row. Training-time
    only (it needs Kiwi's CoNg model, ~0.5 ms a word); words with no row of their own are left out.
    """
    from kiwipiepy import Kiwi

    kiwi = Kiwi(model_type="cong")
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-8)
    found: dict[str, int] = {}
    for form, tag in sorted(set(keys)):
        try:
            similar = kiwi.most_similar_morphemes((form, tag), top_n=8)
        except Exception:  # noqa: S112 - kiwipiepy raises for forms its LM does not know; those keep the tag row
            continue
        ids = np.array([s.id for s in similar if s.id < len(unit)])
        if len(ids) < 3:
            continue
        scores = np.array([s.score for s in similar if s.id < len(unit)], dtype=np.float32)
        error = np.abs(unit @ unit[ids].T - scores[None, :]).max(axis=1)
        error[ids] = np.inf
        best = int(np.argmin(error))
        if error[best] < 5e-3 and unit[best].any():
            found[f"{form}/{tag}"] = best
    return found
