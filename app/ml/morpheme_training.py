"""Train a `kiwi-cong` model set: Kiwi morphemes over frozen CoNg vectors (app.ml.morpheme_model).

Settings are chosen on a dev set written by other writers than the training text (`--dev`); the dev set
also fits each model's temperature (calibration). Nothing here reads the dev set's labels for fitting
weights.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.ml.calibration import expected_calibration_error, fit_temperature
from app.ml.datasets import TASK_LABELS, DatasetError, Example, file_sha256, label_counts, read_examples
from app.ml.datasets import select_split as _select
from app.ml.evaluation import macro_f1
from app.ml.labels import TASKS
from app.ml.training_run import install_set, optimizer_step, progress_bar, seed_everything, staged_set

if TYPE_CHECKING:
    from rich.console import Console

    from app.ml.morphemes import MorphemeEncoded


@dataclass
class MorphemeTrainConfig:
    """Everything a `kiwi-cong` training run depends on (recorded in training_summary.json)."""

    data: Path
    name: str
    output: Path = Path("models")
    dev: Path | None = None
    split: str = "train"
    seed: int = 42
    epochs: int = 14
    max_steps: int | None = None
    batch_size: int = 32
    learning_rate: float = 2e-3
    weight_decay: float = 0.01
    hidden_size: int = 128
    dropout: float = 0.3
    encoder: str = "bigru"
    embeddings: str = "cong"
    tune_vectors: bool = True
    min_row_count: int = 2
    headline_share: float = 0.0
    one_segment_share: float = 0.25
    lexical_buckets: int = 1 << 18
    max_tokens: int = 160
    threads: int = 1
    per_task: dict[str, dict[str, Any]] = field(default_factory=dict)


def model_config(cfg: MorphemeTrainConfig, task: str, vocab: int, dim: int, digest: str, *,
                 tuned_rows: list[int] | None = None) -> dict[str, Any]:
    """The task's `config.json` (labels included)."""
    labels = TASK_LABELS[task]
    options = {**asdict(cfg), **cfg.per_task.get(task, {})}
    return {
        "architectures": ["KiwiCongClassifier"], "model_type": "kiwi-cong", "input_pipeline": "kiwi-cong",
        "id2label": {str(i): label for i, label in enumerate(labels)},
        "label2id": {label: i for i, label in enumerate(labels)}, "num_labels": len(labels),
        "vocab_size": vocab, "embedding_dim": dim, "cong_digest": digest,
        "hidden_size": options["hidden_size"], "dropout": options["dropout"], "encoder": options["encoder"],
        "embeddings": options["embeddings"], "lexical_buckets": options["lexical_buckets"],
        "max_tokens": options["max_tokens"], "temperature": 1.0,
        "tuned_rows": (tuned_rows or []) if options["tune_vectors"] and options["embeddings"] == "cong"
        else [],
    }


class _Batches:
    """Shuffled, padded mini-batches of encoded rows; a share of each batch shown as its headline alone."""

    def __init__(self, encoded: MorphemeEncoded, targets: list[int], headline_share: float,
                 one_segment_share: float = 0.0):
        self.encoded, self.targets, self.share = encoded, targets, headline_share
        self.one_segment = one_segment_share
        self.headlines = encoded.headlines() if headline_share > 0 else encoded

    def __call__(self, order: list[int], size: int, generator: Any) -> Any:
        for inputs, y in self._batches(order, size, generator):
            if self.one_segment > 0:
                # Some texts reach the service with no line break between headline and snippet (a CSV
                # `text` column): show a share of rows that way, as one segment.
                import torch

                merged = torch.rand(len(y), generator=generator) < self.one_segment
                segments = inputs["segment_ids"]
                inputs["segment_ids"] = torch.where(merged[:, None] & (segments > 0), 1, segments)
            yield inputs, y

    def _batches(self, order: list[int], size: int, generator: Any) -> Any:
        import torch

        for start in range(0, len(order), size):
            rows = order[start:start + size]
            cut = int(len(rows) * self.share) if self.share > 0 else 0
            if cut:
                chosen = torch.rand(len(rows), generator=generator).argsort()[:cut].tolist()
                rows = [r for k, r in enumerate(rows) if k not in chosen] + [rows[k] for k in chosen]
                full = self.encoded.batch(rows[: len(rows) - cut], "cpu")
                short = self.headlines.batch(rows[len(rows) - cut:], "cpu")
                yield _stack(full, short), torch.tensor([self.targets[r] for r in rows])
            else:
                yield self.encoded.batch(rows, "cpu"), torch.tensor([self.targets[r] for r in rows])


def _stack(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Two padded batches as one (the wider sets the width)."""
    import torch

    width = max(first["input_ids"].shape[1], second["input_ids"].shape[1])
    return {key: torch.cat([torch.nn.functional.pad(part[key], (0, width - part[key].shape[1]))
                            for part in (first, second)]) for key in first}


def predict_logits(model: Any, encoded: MorphemeEncoded, size: int = 128) -> Any:
    """Logits (before temperature) of every encoded row, in order."""
    import torch

    model.eval()
    outs = []
    with torch.inference_mode():
        for start in range(0, len(encoded.ids), size):
            rows = list(range(start, min(start + size, len(encoded.ids))))
            outs.append(model(**encoded.batch(rows, "cpu")).logits * model.temperature)
    model.train()
    return torch.cat(outs) if outs else torch.zeros((0, 1))


Encoded = tuple["MorphemeEncoded", list[Example]]


def train_task(cfg: MorphemeTrainConfig, task: str, config: dict[str, Any], vectors: tuple[Any, Any], *,
               train: Encoded, dev: Encoded | None, console: Console | None) -> tuple[Any, dict[str, Any]]:
    """One classifier: AdamW with linear decay, class weights, fixed epochs; temperature fitted on dev."""
    import torch

    from app.ml.morpheme_model import KiwiCongClassifier

    seed_everything(cfg.seed)
    labels = TASK_LABELS[task]
    options = {**asdict(cfg), **cfg.per_task.get(task, {})}
    model = KiwiCongClassifier(config, vectors)
    encoded, examples = train
    targets = [labels.index(getattr(e, task)) for e in examples]
    counts = [max(targets.count(i), 1) for i in range(len(labels))]
    weights = torch.tensor([len(targets) / (len(labels) * c) for c in counts])
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=options["learning_rate"], weight_decay=options["weight_decay"])
    epochs = int(options["epochs"])
    steps = min(epochs * math.ceil(len(targets) / options["batch_size"]), options["max_steps"] or 1 << 62)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.0, 1 - s / steps))
    generator = torch.Generator().manual_seed(cfg.seed)
    batches = _Batches(encoded, targets, float(options["headline_share"]),
                       float(options["one_segment_share"]))
    history: list[dict[str, Any]] = []
    done = 0
    model.train()
    with progress_bar(task, console) as progress:
        bar = progress.add_task("steps", total=steps, loss=0.0)
        for epoch in range(1, epochs + 1):
            losses: list[float] = []
            order = torch.randperm(len(targets), generator=generator).tolist()
            for inputs, y in batches(order, options["batch_size"], generator):
                if done >= steps:
                    break
                done += 1
                loss = loss_fn(model(**inputs).logits, y)
                losses.append(optimizer_step(model, loss, optimizer, scheduler))
                progress.update(bar, advance=1, loss=sum(losses[-20:]) / len(losses[-20:]),
                                description=f"epoch {epoch}/{epochs}")
            row: dict[str, Any] = {"epoch": epoch, "loss": round(sum(losses) / max(len(losses), 1), 4)}
            if dev is not None:
                predicted = predict_logits(model, dev[0]).argmax(-1).tolist()
                row["dev_macro_f1"] = round(macro_f1([getattr(e, task) for e in dev[1]],
                                                     [labels[i] for i in predicted], labels), 4)
            history.append(row)
            if console is not None:
                console.print(f"{task} epoch {epoch}: " + ", ".join(f"{k} {v}" for k, v in row.items()
                                                                     if k != "epoch"))
            if done >= steps:
                break
    model.eval()
    info: dict[str, Any] = {"epochs": epochs, "steps": steps, "history": history}
    if dev is not None:
        info.update(calibrate(model, task, dev, config))
    return model, info


def calibrate(model: Any, task: str, dev: Encoded, config: dict[str, Any]) -> dict[str, Any]:
    """Fit the temperature on the dev set; ECE before and after (the latter by two-fold cross-fitting)."""
    labels = TASK_LABELS[task]
    logits = predict_logits(model, dev[0])
    gold = [labels.index(getattr(e, task)) for e in dev[1]]
    temperature = fit_temperature(logits, gold)
    # ECE of a temperature fitted on the same items flatters it: score each half with the other's fit.
    halves = [list(range(0, len(gold), 2)), list(range(1, len(gold), 2))]
    crossed = logits.clone()
    for fit, held in (halves, halves[::-1]):
        t = fit_temperature(logits[fit], [gold[i] for i in fit])
        crossed[held] = logits[held] / t
    model.temperature.fill_(temperature)
    config["temperature"] = round(temperature, 4)
    return {"temperature": round(temperature, 4),
            "dev_ece_before": round(expected_calibration_error(logits, gold), 4),
            "dev_ece_after": round(expected_calibration_error(crossed, gold), 4)}


def save_task(directory: Path, model: Any, config: dict[str, Any], rows: Any) -> None:
    """config.json, model.safetensors (trainable weights + temperature) and morpheme_rows.json."""
    from safetensors.torch import save_file

    from app.ml.morphemes import ROWS_FILE

    directory.mkdir(parents=True)
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(directory / "model.safetensors"), metadata={"format": "pt"})
    (directory / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", "utf-8")
    rows.save(directory / ROWS_FILE)
    directory.chmod(0o755)
    for path in directory.iterdir():
        path.chmod(0o644)


def _encode_all(examples: list[Example], rows: Any, max_tokens: int) -> MorphemeEncoded:
    from app.ml.morphemes import MorphemeEncoded

    return MorphemeEncoded([e.text for e in examples], rows, max_tokens)


def seen_rows(encoded: MorphemeEncoded, cfg: MorphemeTrainConfig) -> list[int]:
    """Rows of words seen at least `min_row_count` times in training (their vectors get fine-tuned)."""
    from collections import Counter

    counts = Counter(row for ids in encoded.ids for row in ids)
    return sorted(row for row, n in counts.items() if n >= cfg.min_row_count and row >= 64)


def build_rows(examples: list[Example], vectors: Any) -> Any:
    """The token → row table: Kiwi's ids, plus the LM rows of the training text's larger ids."""
    from app.domain.morphology import analyzer, tokenized
    from app.ml.morphemes import MorphemeRows, resolve_rows

    kiwi = analyzer()
    keys = {(t.form, t.tag) for tokens in tokenized([e.text for e in examples]) for t in tokens
            if t.id >= vectors.vocab_size}
    return MorphemeRows.from_kiwi(kiwi, vectors.vocab_size, resolve_rows(keys, vectors.vectors()))


def train_morpheme_set(cfg: MorphemeTrainConfig, console: Console | None = None) -> dict[str, Any]:
    """Train both models into `{output}/{name}_category` and `_sentiment` atomically; return the summary."""
    import torch

    from app.ml.cong import load_cong_vectors
    from app.ml.evaluation import evaluate

    torch.set_num_threads(cfg.threads)
    started = time.perf_counter()
    examples = read_examples(cfg.data)
    train = _select(examples, cfg.split, cfg.data)
    validation = [e for e in examples if e.split == "validation"] if cfg.split != "validation" else []
    if len({e.category for e in train}) < 2 or len({e.sentiment for e in train}) < 2:
        raise DatasetError(cfg.data, f"split {cfg.split!r} needs at least two labels per task")
    dev_examples = read_examples(cfg.dev) if cfg.dev is not None else []
    cong = load_cong_vectors()
    vectors = (torch.from_numpy(cong.int8), torch.from_numpy(cong.scale))
    rows = build_rows(train, cong)
    encoded = _encode_all(train, rows, cfg.max_tokens)
    dev = (_encode_all(dev_examples, rows, cfg.max_tokens), dev_examples) if dev_examples else None
    with staged_set(cfg.output, cfg.name) as staging:
        tasks: dict[str, Any] = {}
        for task in TASKS:
            task_started = time.perf_counter()
            config = model_config(cfg, task, cong.vocab_size, cong.dim, cong.digest,
                                  tuned_rows=seen_rows(encoded, cfg))
            model, info = train_task(cfg, task, config, vectors, train=(encoded, train), dev=dev,
                                     console=console)
            save_task(staging / f"{cfg.name}_{task}", model, config, rows)
            info["train_seconds"] = round(time.perf_counter() - task_started, 1)
            info["parameters"] = sum(p.numel() for p in model.parameters())
            tasks[task] = info
        summary: dict[str, Any] = {
            "name": cfg.name,
            "pipeline": "kiwi-cong",
            "data": {"file": str(cfg.data), "sha256": file_sha256(cfg.data), "rows": len(examples),
                     "train_rows": len(train), "validation_rows": len(validation),
                     "train_labels": label_counts(train),
                     "dev_file": str(cfg.dev) if cfg.dev else None,
                     "dev_sha256": file_sha256(cfg.dev) if cfg.dev else None, "dev_rows": len(dev_examples)},
            "parameters": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(cfg).items()},
            "seed": cfg.seed,
            "mode": "kiwi-cong",
            "morpheme_rows": {"vocab_size": cong.vocab_size, "resolved": len(rows.table),
                              "cong_digest": cong.digest},
            "tasks": tasks,
            "versions": {"torch": torch.__version__},
            "torch_threads": torch.get_num_threads(),
            "train_seconds": round(time.perf_counter() - started, 1),
            "validation": evaluate(validation, staging, cfg.name) if validation else None,
            "dev": evaluate(dev_examples, staging, cfg.name) if dev_examples else None,
        }
        install_set(staging, cfg.output, cfg.name, summary)
    return summary
