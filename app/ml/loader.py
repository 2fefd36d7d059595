"""Load a model set from disk (transformers, local files only) onto a device; failures become reasons."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.ml.device import DeviceChoice, prepare_model
from app.ml.explain import EvidenceTable
from app.ml.labels import TASKS, Task
from app.ml.registry import (
    EVIDENCE_FILE,
    KIWI_PIPELINE,
    ROWS_FILE,
    TOKENIZER_FILES,
    WEIGHT_FILES,
    ModelLoadError,
    input_pipeline,
    inspect_model_set,
    task_dir,
    valid_name,
)

log = logging.getLogger(__name__)
_TOKENIZER_CONFIG_KEYS = ("do_lower_case", "strip_accents", "tokenize_chinese_chars", "tokenizer_class")


@dataclass
class LoadedTask:
    """One task's tokenizer and model, ready for inference."""

    task: Task
    path: Path
    model: Any
    tokenizer: Any
    labels: list[str]
    extra_labels: list[str]
    tokenizer_fingerprint: str
    weights_digest: str
    evidence: EvidenceTable | None = None
    pipeline: str = "hf-tokenizer"


@dataclass
class LoadedModelSet:
    """Both tasks of one model set on one device."""

    name: str
    device: DeviceChoice
    quantize: str
    category: LoadedTask
    sentiment: LoadedTask
    fingerprint: str = field(init=False)

    def __post_init__(self) -> None:
        parts = [self.name, self.quantize]
        for t in (self.category, self.sentiment):
            parts += [t.weights_digest, ",".join(t.labels)]
        self.fingerprint = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    @property
    def shared_tokenizer(self) -> bool:
        """Both models use byte-identical tokenizers, so one tokenisation serves both."""
        return self.category.tokenizer_fingerprint == self.sentiment.tokenizer_fingerprint


def tokenizer_fingerprint(directory: Path) -> str:
    """Hash of what decides tokenisation: tokenizer.json (minus padding/truncation) or vocab + config."""
    digest = hashlib.sha256()
    tok_json = directory / "tokenizer.json"
    if tok_json.is_file():
        data = json.loads(tok_json.read_text("utf-8"))
        if isinstance(data, dict):
            data.pop("truncation", None)
            data.pop("padding", None)
        digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    else:
        for name in TOKENIZER_FILES:
            if (directory / name).is_file():
                digest.update(name.encode() + b"\0" + (directory / name).read_bytes())
    config = directory / "tokenizer_config.json"
    if config.is_file():
        cfg = json.loads(config.read_text("utf-8"))
        relevant = {k: cfg.get(k) for k in _TOKENIZER_CONFIG_KEYS} if isinstance(cfg, dict) else {}
        digest.update(json.dumps(relevant, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def weights_digest(directory: Path) -> str:
    """SHA-256 over the weight files (identifies the exact model for result caching)."""
    digest = hashlib.sha256()
    for name in WEIGHT_FILES:
        path = directory / name
        if path.is_file():
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def _first_line(exc: BaseException, limit: int = 200) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:limit]}" if text else type(exc).__name__


def _from_disk(directory: Path) -> tuple[Any, Any, dict[str, Any]]:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # weight-loading bars are noise in service logs
    try:
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(directory), local_files_only=True)
        except Exception as exc:  # transformers raises many types; all mean "unusable"
            raise ModelLoadError(f"{directory}: tokenizer failed to load ({_first_line(exc)})") from exc
        try:
            model, loading = AutoModelForSequenceClassification.from_pretrained(
                str(directory), local_files_only=True, output_loading_info=True
            )
        except Exception as exc:
            raise ModelLoadError(f"{directory}: model failed to load ({_first_line(exc)})") from exc
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    return tokenizer, model, loading


@functools.lru_cache(maxsize=1)
def installed_vectors() -> Any:
    """The installed kiwipiepy_model's CoNg vectors, decoded once per process (~0.3 s, 18 MB)."""
    from app.ml.cong import load_cong_vectors

    return load_cong_vectors()


def _load_kiwi_task(directory: Path, task: Task, label_sets: tuple[list[str], list[str]], *,
                    device: DeviceChoice, quantize: str) -> LoadedTask:
    """A `kiwi-cong` task: the network's weights from the set, its input vectors from kiwipiepy_model."""
    import torch
    from safetensors.torch import load_file

    from app.domain.morphology import analyzer
    from app.ml.cong import CongFormatError
    from app.ml.morpheme_model import KiwiCongClassifier
    from app.ml.morphemes import MorphemeRows

    labels, extra = label_sets
    config = json.loads((directory / "config.json").read_text("utf-8"))
    try:
        vectors = installed_vectors()
    except (OSError, ImportError, CongFormatError) as exc:
        reason = f"Kiwi's CoNg vectors are unavailable ({_first_line(exc)})"
        raise ModelLoadError(f"{directory}: {reason}") from exc
    if config.get("cong_digest") not in (None, vectors.digest):
        raise ModelLoadError(f"{directory}: trained on other CoNg vectors than the installed kiwipiepy_model "
                             "(reinstall the version pinned in pyproject.toml, or retrain)")
    try:
        model = KiwiCongClassifier(config, (torch.from_numpy(vectors.int8), torch.from_numpy(vectors.scale)))
        model.load_state_dict(load_file(str(directory / "model.safetensors")), strict=True)
        rows = MorphemeRows.from_kiwi(analyzer(), vectors.vocab_size,
                                      MorphemeRows.load_table(directory / ROWS_FILE))
    except (KeyError, ValueError, RuntimeError, OSError) as exc:
        raise ModelLoadError(f"{directory}: model failed to load ({_first_line(exc)})") from exc
    if int(config.get("num_labels", len(labels))) != len(labels):
        outputs = config.get("num_labels")
        raise ModelLoadError(f"{directory}: model has {outputs} outputs but {len(labels)} labels")
    try:
        model = prepare_model(model, device, quantize, pack_weights=False)
    except Exception as exc:
        raise ModelLoadError(f"{directory}: could not prepare model on {device.device} ({_first_line(exc)})",
                             device_related=device.is_cuda) from exc
    fingerprint = hashlib.sha256((directory / ROWS_FILE).read_bytes()
                                 + str(config.get("max_tokens")).encode()).hexdigest()
    return LoadedTask(task=task, path=directory, model=model, tokenizer=rows, labels=labels,
                      extra_labels=extra, tokenizer_fingerprint=fingerprint,
                      weights_digest=weights_digest(directory), pipeline=KIWI_PIPELINE)


def _load_task(directory: Path, task: Task, label_sets: tuple[list[str], list[str]], *,
               device: DeviceChoice, quantize: str, pack_weights: bool) -> LoadedTask:
    labels, extra = label_sets
    config = json.loads((directory / "config.json").read_text("utf-8"))
    if input_pipeline(config) == KIWI_PIPELINE:
        return _load_kiwi_task(directory, task, label_sets, device=device, quantize=quantize)
    tokenizer, model, loading = _from_disk(directory)
    missing = sorted(loading.get("missing_keys") or [])
    mismatched = loading.get("mismatched_keys") or []
    if missing or mismatched:
        example = missing[0] if missing else str(next(iter(mismatched)))
        raise ModelLoadError(
            f"{directory}: weights do not match config.json ({len(missing)} missing, "
            f"{len(mismatched)} mismatched tensors, e.g. {example})"
        )
    if model.config.num_labels != len(labels):
        outputs = model.config.num_labels
        raise ModelLoadError(f"{directory}: model has {outputs} outputs but {len(labels)} labels")
    try:
        model = prepare_model(model, device, quantize, pack_weights=pack_weights)
    except Exception as exc:
        raise ModelLoadError(
            f"{directory}: could not prepare model on {device.device} ({_first_line(exc)})",
            device_related=device.is_cuda,
        ) from exc
    evidence = None
    if task == "category" and (directory / EVIDENCE_FILE).is_file():
        try:
            evidence = EvidenceTable.load(directory / EVIDENCE_FILE)
        except ValueError as exc:
            log.warning("ignoring %s: %s", directory / EVIDENCE_FILE, exc)
    return LoadedTask(
        task=task,
        path=directory,
        model=model,
        tokenizer=tokenizer,
        labels=labels,
        extra_labels=extra,
        tokenizer_fingerprint=tokenizer_fingerprint(directory),
        weights_digest=weights_digest(directory),
        evidence=evidence,
    )


def load_model_set(
    models_dir: Path, name: str, device: DeviceChoice, quantize: str = "none", *, pack_weights: bool = True
) -> LoadedModelSet:
    """Validate, then load both tasks; raises ModelLoadError with a one-line reason."""
    if not valid_name(name):
        raise ModelLoadError(f"{name!r} is not a valid model set name")
    info = inspect_model_set(models_dir, name)
    if not info.loadable:
        raise ModelLoadError(info.problem or "not loadable")
    tasks: dict[Task, LoadedTask] = {}
    for task in TASKS:
        part = info.category if task == "category" else info.sentiment
        tasks[task] = _load_task(task_dir(models_dir, name, task), task, (part.labels, part.extra_labels),
                                 device=device, quantize=quantize, pack_weights=pack_weights)
    return LoadedModelSet(name=name, device=device, quantize=quantize, category=tasks["category"],
                          sentiment=tasks["sentiment"])
