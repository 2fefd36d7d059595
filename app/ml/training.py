"""Train the category and sentiment models (from scratch or from a local base encoder) into a model set."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.ml.datasets import (
    TASK_LABELS,
    DatasetError,
    Example,
    document_words,
    evidence_weights,
    file_sha256,
    holdout_split,
    label_counts,
    read_examples,
)
from app.ml.datasets import select_split as _select
from app.ml.evaluation import macro_f1
from app.ml.labels import TASKS
from app.ml.training_run import install_set, optimizer_step, progress_bar, seed_everything, staged_set
from app.ml.wordpiece import build_tokenizer

if TYPE_CHECKING:
    from rich.console import Console

# Chosen on the grouped held-out slice of the train split (docs/training.md): smoothing helped sentiment only.
PER_TASK: dict[str, dict[str, Any]] = {"sentiment": {"label_smoothing": 0.1}}
SCRATCH_MODEL = {"hidden_size": 160, "num_hidden_layers": 2, "num_attention_heads": 4,
                 "intermediate_size": 512, "max_position_embeddings": 512}


@dataclass
class TrainConfig:
    """Everything a training run depends on (recorded verbatim in training_summary.json)."""

    data: Path
    name: str
    output: Path = Path("models")
    base_model: Path | None = None
    epochs: int | None = None
    max_steps: int | None = None
    seed: int = 42
    split: str = "train"
    batch_size: int = 32
    learning_rate: float | None = None
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    max_length: int = 128
    vocab_size: int = 8000
    holdout_fraction: float = 0.1
    patience: int = 4
    token_mask: float = 0.25
    ema_decay: float = 0.99
    label_smoothing: float = 0.0
    title_only: float = 0.2
    threads: int = 1
    model: dict[str, Any] = field(default_factory=lambda: dict(SCRATCH_MODEL))
    per_task: dict[str, dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(PER_TASK))

    def for_task(self, task: str) -> TrainConfig:
        """This configuration with the task's own overrides applied."""
        return dataclasses.replace(self, **self.per_task.get(task, {}))

    def resolved(self) -> TrainConfig:
        """Defaults that depend on the mode: small from-scratch models need more epochs and a larger step."""
        scratch = self.base_model is None
        epochs = self.epochs if self.epochs is not None else (30 if scratch else 4)
        lr = self.learning_rate if self.learning_rate is not None else (1e-3 if scratch else 3e-5)
        return dataclasses.replace(self, epochs=epochs, learning_rate=lr)


def _batches(ids: list[list[int]], labels: list[int], order: list[int], size: int, pad: int) -> Any:
    import torch

    for start in range(0, len(order), size):
        chunk = order[start:start + size]
        width = max(len(ids[i]) for i in chunk)
        input_ids = torch.full((len(chunk), width), pad, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for row, i in enumerate(chunk):
            input_ids[row, :len(ids[i])] = torch.tensor(ids[i])
            mask[row, :len(ids[i])] = 1
        yield input_ids, mask, torch.tensor([labels[i] for i in chunk])


def _predict(model: Any, ids: list[list[int]], pad: int, size: int = 64) -> list[int]:
    import torch

    model.eval()
    out: list[int] = []
    order = list(range(len(ids)))
    with torch.inference_mode():
        for input_ids, mask, _ in _batches(ids, [0] * len(ids), order, size, pad):
            out.extend(model(input_ids=input_ids, attention_mask=mask).logits.argmax(-1).tolist())
    model.train()
    return out


def _encoder(tokenizer: Any, max_length: int) -> Any:
    def encode(rows: list[Example]) -> list[list[int]]:
        if not rows:  # fast tokenizers fail on an empty batch
            return []
        return list(tokenizer([e.text for e in rows], truncation=True, max_length=max_length)["input_ids"])

    return encode


def _new_model(cfg: TrainConfig, labels: tuple[str, ...], tokenizer: Any) -> Any:
    from transformers import AutoModelForSequenceClassification, BertConfig, BertForSequenceClassification

    id2label = dict(enumerate(labels))
    label2id = {label: i for i, label in id2label.items()}
    if cfg.base_model is not None:
        return AutoModelForSequenceClassification.from_pretrained(
            cfg.base_model, num_labels=len(labels), id2label=id2label, label2id=label2id,
            local_files_only=True, ignore_mismatched_sizes=True)
    options: dict[str, Any] = {"vocab_size": len(tokenizer), "pad_token_id": tokenizer.pad_token_id,
                               "num_labels": len(labels), "id2label": id2label, "label2id": label2id,
                               "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, **cfg.model}
    config = BertConfig(**options)
    return BertForSequenceClassification(config)


def _optimizer(model: Any, cfg: TrainConfig, total: int) -> tuple[Any, Any]:
    import torch
    from transformers import get_linear_schedule_with_warmup

    no_decay = ("bias", "LayerNorm.weight")
    named = list(model.named_parameters())
    groups = [{"params": [p for n, p in named if not n.endswith(no_decay)], "weight_decay": cfg.weight_decay},
              {"params": [p for n, p in named if n.endswith(no_decay)], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=cfg.learning_rate or 1e-3)
    return optimizer, get_linear_schedule_with_warmup(optimizer, int(total * cfg.warmup_ratio), total)


def _loss_fn(targets: list[int], n_labels: int, smoothing: float) -> Any:
    """Cross-entropy weighted by inverse class frequency (a no-op on a balanced corpus), label-smoothed."""
    import torch

    counts = Counter(targets)
    weights = [len(targets) / (n_labels * counts[i]) if counts[i] else 0.0 for i in range(n_labels)]
    return torch.nn.CrossEntropyLoss(weight=torch.tensor(weights), label_smoothing=smoothing)


def _epoch_inputs(full: list[list[int]], short: list[list[int]], probability: float, generator: Any) -> Any:
    """Per epoch, a random share of the rows is shown as its headline alone (the service also sees bare
    headlines, and a model that needs the snippet's boilerplate to decide is fragile)."""
    import torch

    if probability <= 0:
        return full
    pick = (torch.rand(len(full), generator=generator) < probability).tolist()
    return [s if chosen else f for f, s, chosen in zip(full, short, pick, strict=True)]


def _mask_tokens(input_ids: Any, probability: float, tokenizer: Any, generator: Any) -> Any:
    """Word-piece dropout: replace random non-special tokens by [MASK] so no single word decides alone."""
    import torch

    if probability <= 0 or tokenizer.mask_token_id is None:  # some base tokenizers have no [MASK]
        return input_ids
    special = torch.tensor(sorted(set(tokenizer.all_special_ids)))
    chosen = torch.rand(input_ids.shape, generator=generator) < probability
    chosen &= ~torch.isin(input_ids, special)
    return input_ids.masked_fill(chosen, tokenizer.mask_token_id)


class _Averaged:
    """Exponential moving average of the weights; it is what gets scored and saved when enabled."""

    def __init__(self, model: Any, decay: float):
        self.source, self.decay = model, decay
        self.model = copy.deepcopy(model) if decay > 0 else model

    def update(self) -> None:
        import torch

        if self.model is self.source:
            return
        with torch.no_grad():
            for average, current in zip(self.model.parameters(), self.source.parameters(), strict=True):
                average.mul_(self.decay).add_(current.detach(), alpha=1 - self.decay)


def train_task(cfg: TrainConfig, task: str, tokenizer: Any, data: tuple[list[Example], list[Example]],
               console: Console | None) -> tuple[Any, dict[str, Any]]:
    """One classifier: AdamW, linear warmup/decay, class weights, clipping, early stop on the holdout."""
    import torch

    cfg = cfg.for_task(task)
    seed_everything(cfg.seed)
    (fit, held), labels = data, TASK_LABELS[task]
    model = _new_model(cfg, labels, tokenizer)
    pad, encode = tokenizer.pad_token_id or 0, _encoder(tokenizer, cfg.max_length)
    fit_ids, held_ids = encode(fit), encode(held)
    short_ids = encode([dataclasses.replace(e, text=e.title or e.text) for e in fit])
    fit_y = [labels.index(getattr(e, task)) for e in fit]
    loss_fn = _loss_fn(fit_y, len(labels), cfg.label_smoothing)
    epochs = cfg.epochs or 1
    total = min(epochs * math.ceil(len(fit) / cfg.batch_size), cfg.max_steps or 1 << 62)
    optimizer, scheduler = _optimizer(model, cfg, total)
    generator = torch.Generator().manual_seed(cfg.seed)
    best: dict[str, Any] = {"score": -1.0, "epoch": 0, "state": None}
    history: list[dict[str, float]] = []
    step, stale = 0, 0
    model.train()
    averaged = _Averaged(model, cfg.ema_decay)
    with progress_bar(task, console) as progress:
        bar = progress.add_task("steps", total=total, loss=0.0)
        for epoch in range(1, epochs + 1):
            losses: list[float] = []
            order = torch.randperm(len(fit), generator=generator).tolist()
            epoch_ids = _epoch_inputs(fit_ids, short_ids, cfg.title_only, generator)
            for ids, mask, y in _batches(epoch_ids, fit_y, order, cfg.batch_size, pad):
                inputs = _mask_tokens(ids, cfg.token_mask, tokenizer, generator)
                loss = loss_fn(model(input_ids=inputs, attention_mask=mask).logits, y)
                losses.append(optimizer_step(model, loss, optimizer, scheduler))
                averaged.update()
                step += 1
                progress.update(bar, advance=1, loss=sum(losses[-20:]) / len(losses[-20:]),
                                description=f"epoch {epoch}/{epochs}")
                if step >= total:
                    break
            predicted = [labels[i] for i in _predict(averaged.model, held_ids, pad)] if held else []
            held_f1 = macro_f1([getattr(e, task) for e in held], predicted, labels) if held else 0.0
            history.append({"epoch": epoch, "loss": round(sum(losses) / max(len(losses), 1), 4),
                            "holdout_macro_f1": round(held_f1, 4)})
            if console is not None:
                console.print(f"{task} epoch {epoch}: loss {history[-1]['loss']:.4f}, "
                              f"holdout macro-F1 {held_f1:.4f}")
            if held and held_f1 > best["score"]:
                best = {"score": held_f1, "epoch": epoch, "state": copy.deepcopy(averaged.model.state_dict())}
                stale = 0
            else:
                stale += 1
            if step >= total or (held and stale >= cfg.patience):
                break
    model = averaged.model
    if best["state"] is not None:
        model.load_state_dict(best["state"])
    model.eval()
    info = {"steps": step, "epochs_run": len(history), "best_epoch": best["epoch"] or len(history),
            "holdout_macro_f1": round(best["score"], 4) if held else None, "history": history}
    return model, info


def _save_task(directory: Path, model: Any, tokenizer: Any, labels: tuple[str, ...],
               evidence: dict[str, Any]) -> None:
    directory.mkdir(parents=True)
    model.save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
    (directory / "label_encoder.json").write_text(
        json.dumps({str(i): label for i, label in enumerate(labels)}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    (directory / "evidence.json").write_text(json.dumps(evidence, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    # mkdtemp and some writers create owner-only modes; a mounted model set must be readable by the service.
    directory.chmod(0o755)
    for path in directory.iterdir():
        path.chmod(0o644)


def train_model_set(cfg: TrainConfig, console: Console | None = None) -> dict[str, Any]:
    """Train both models into `{output}/{name}_category` and `_sentiment` atomically; return the summary."""
    import torch
    import transformers

    from app.ml.evaluation import evaluate

    cfg = cfg.resolved()
    # One thread by default: on a shared 2-core host, two OpenMP threads next to any other busy process
    # run several times slower than one (spin-waiting), and a fixed count keeps float sums reproducible.
    torch.set_num_threads(cfg.threads)
    started = time.perf_counter()
    examples = read_examples(cfg.data)
    train = _select(examples, cfg.split, cfg.data)
    validation = [e for e in examples if e.split == "validation"] if cfg.split != "validation" else []
    if len({e.category for e in train}) < 2 or len({e.sentiment for e in train}) < 2:
        raise DatasetError(cfg.data, f"split {cfg.split!r} needs at least two labels per task")
    seed_everything(cfg.seed)
    fit, held = holdout_split(train, cfg.holdout_fraction, cfg.seed)
    if cfg.base_model is not None:
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(cfg.base_model, local_files_only=True)
    else:
        tokenizer = build_tokenizer([e.text for e in train], cfg.vocab_size, cfg.max_length)
    with staged_set(cfg.output, cfg.name) as staging:
        tasks: dict[str, Any] = {}
        docs = document_words([e.text for e in train])
        for task in TASKS:
            task_started = time.perf_counter()
            model, info = train_task(cfg, task, tokenizer, (fit, held), console)
            evidence = evidence_weights(train, task, docs=docs)
            _save_task(staging / f"{cfg.name}_{task}", model, tokenizer, TASK_LABELS[task], evidence)
            info["train_seconds"] = round(time.perf_counter() - task_started, 1)
            info["parameters"] = sum(p.numel() for p in model.parameters())
            info["model_config"] = {k: v for k, v in model.config.to_dict().items()
                                    if k not in {"id2label", "label2id"}}
            tasks[task] = info
        summary: dict[str, Any] = {
            "name": cfg.name,
            "data": {"file": str(cfg.data), "sha256": file_sha256(cfg.data), "rows": len(examples),
                     "train_rows": len(train), "fit_rows": len(fit), "holdout_rows": len(held),
                     "validation_rows": len(validation), "train_labels": label_counts(train)},
            "parameters": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(cfg).items()},
            "seed": cfg.seed,
            "mode": "fine-tune" if cfg.base_model is not None else "scratch",
            "tokenizer": {"class": type(tokenizer).__name__, "vocab_size": len(tokenizer),
                          "max_length": cfg.max_length},
            "tasks": tasks,
            "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
            "torch_threads": torch.get_num_threads(),
            "train_seconds": round(time.perf_counter() - started, 1),
            "validation": evaluate(validation, staging, cfg.name) if validation else None,
        }
        install_set(staging, cfg.output, cfg.name, summary)
    return summary
