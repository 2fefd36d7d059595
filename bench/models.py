"""Model sets for the benchmarks, built from a config through the real save/load path (no hub access).

- `build_random_set(...)`: a BERT model set with random weights and a WordPiece tokenizer trained on the
  corpus texts, saved with `save_pretrained` (both tasks share the tokenizer, as in a real model set).
- `BASE_SHAPE`: the shape of the Korean base encoders users fine-tune (12 layers, hidden 768, 12 heads,
  intermediate 3072, vocabulary ~32k).
- `STANDIN_SHAPE`: the from-scratch shape of `news-service train` (what `models/demo_*` is trained with),
  used when the shipped set is not there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "training" / "esg_news_ko.jsonl"
CATEGORY_LABELS = ["E", "S", "G", "기타"]
SENTIMENT_LABELS = ["긍정", "중립", "부정"]

BASE_SHAPE: dict[str, Any] = {
    "hidden_size": 768,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "intermediate_size": 3072,
    "max_position_embeddings": 512,
    "vocab_size": 32000,
}


def standin_shape() -> dict[str, Any]:
    """`news-service train`'s from-scratch shape, with its default vocabulary size."""
    from app.ml.training import SCRATCH_MODEL, TrainConfig

    return {**SCRATCH_MODEL, "vocab_size": TrainConfig.__dataclass_fields__["vocab_size"].default}


def corpus_texts(split: str | None = None, path: Path = CORPUS) -> list[str]:
    """Model input texts (cleaned title + description) of the labeled corpus, optionally of one split."""
    from app.ml.datasets import read_examples, select_split

    examples = read_examples(path)
    if split:
        examples = select_split(examples, split, path)
    return [e.text for e in examples]


def build_tokenizer(texts: list[str], vocab_size: int, out: Path) -> Any:
    """Train the training pipeline's WordPiece tokenizer on `texts` and save it to `out`."""
    from app.ml.wordpiece import build_tokenizer as train_tokenizer

    tokenizer = train_tokenizer(texts, vocab_size, 256)
    tokenizer.save_pretrained(str(out))
    return tokenizer


def build_random_set(
    models_dir: Path, name: str, shape: dict[str, Any], *, seed: int = 0, texts: list[str] | None = None
) -> dict[str, Any]:
    """Write `{name}_category` and `{name}_sentiment` (random weights) under `models_dir`; returns facts."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    shape = dict(shape)
    wanted_vocab = int(shape.pop("vocab_size"))
    tokenizer = build_tokenizer(
        texts if texts is not None else corpus_texts("train"), wanted_vocab, models_dir / f"_{name}_tokenizer"
    )
    # A corpus of a few thousand articles saturates before 32k pieces; the embedding keeps the full size.
    vocab = max(wanted_vocab, len(tokenizer))
    params = 0
    for task, labels in (("category", CATEGORY_LABELS), ("sentiment", SENTIMENT_LABELS)):
        id2label = dict(enumerate(labels))
        config = BertConfig(
            vocab_size=vocab,
            pad_token_id=tokenizer.pad_token_id,
            id2label=id2label,
            label2id={v: k for k, v in id2label.items()},
            **shape,
        )
        torch.manual_seed(seed + (task == "sentiment"))
        model = BertForSequenceClassification(config).eval()
        params = sum(p.numel() for p in model.parameters())
        path = models_dir / f"{name}_{task}"
        model.save_pretrained(str(path))
        tokenizer.save_pretrained(str(path))
    return {"tokenizer_vocab": len(tokenizer), "vocab_size": vocab, "params": params, **shape}


def describe_set(models_dir: Path, name: str) -> dict[str, Any]:
    """Shape facts of an existing model set (from the category model's config.json)."""
    config = json.loads((models_dir / f"{name}_category" / "config.json").read_text("utf-8"))
    keys = (
        "model_type",
        "num_hidden_layers",
        "hidden_size",
        "num_attention_heads",
        "intermediate_size",
        "vocab_size",
    )
    return {k: config.get(k) for k in keys}
