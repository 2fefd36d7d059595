"""Model sets under MODELS_DIR: `{NAME}_category` + `{NAME}_sentiment` HF directories, inspected cheaply.

Nothing here imports torch or transformers: listing and validating model sets reads only JSON files and
the safetensors header. Loading lives in `app.ml.loader`, inference in `app.ml.engine`, and the
process-wide `ModelManager` (re-exported here) in `app.ml.manager`.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

from app.domain.model_sets import (
    HF_PIPELINE,
    KIWI_PIPELINE,
    PIPELINES,
    ModelSetInfo,
    Task,
    TaskModelInfo,
)
from app.ml.labels import (
    CANONICAL,
    TASKS,
    canonicalise,
    is_generic,
    labels_from_config,
    labels_from_encoder,
)

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json",
                "pytorch_model.bin.index.json")
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "vocab.json", "sentencepiece.bpe.model", "spiece.model",
                   "tokenizer.model")
LABEL_ENCODER = "label_encoder.json"
EVIDENCE_FILE = "evidence.json"
_NAME = re.compile(r"^[\w.\-]+$")
_HEAD_SUFFIXES = ("classifier.weight", "classifier.out_proj.weight", "score.weight", "head.weight")
ROWS_FILE = "morpheme_rows.json"
_MAX_HEADER = 100_000_000


class ModelLoadError(Exception):
    """A model set cannot be used; `reason` is one line suitable for logs and health."""

    def __init__(self, reason: str, *, device_related: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.device_related = device_related  # the files are fine; the device (CUDA) failed


def valid_name(name: str) -> bool:
    """A model set name is a plain directory-name prefix (no separators, not hidden)."""
    return bool(_NAME.match(name)) and not name.startswith(".")


def task_dir(models_dir: Path, name: str, task: Task) -> Path:
    """`{models_dir}/{name}_{task}`."""
    return models_dir / f"{name}_{task}"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"{path.name} is not valid JSON ({type(exc).__name__})") from exc


def safetensors_header(path: Path) -> dict[str, Any]:
    """Parse and sanity-check a safetensors header (tensor names, dtypes, shapes, offsets)."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(8)
        if len(head) < 8:
            raise ModelLoadError(f"{path.name} is corrupt (too short)")
        (length,) = struct.unpack("<Q", head)
        if length <= 0 or length > min(_MAX_HEADER, size - 8):
            raise ModelLoadError(f"{path.name} is corrupt (bad header length)")
        try:
            header = json.loads(fh.read(length))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelLoadError(f"{path.name} is corrupt (unreadable header)") from exc
    if not isinstance(header, dict):
        raise ModelLoadError(f"{path.name} is corrupt (header is not an object)")
    tensors = {k: v for k, v in header.items() if k != "__metadata__"}
    try:
        end = max((int(v["data_offsets"][1]) for v in tensors.values()), default=0)
    except (TypeError, KeyError, ValueError, IndexError) as exc:
        raise ModelLoadError(f"{path.name} is corrupt (bad tensor entry)") from exc
    if 8 + length + end != size:
        expected = 8 + length + end
        raise ModelLoadError(f"{path.name} is corrupt or truncated ({size} bytes, expected {expected})")
    return tensors


def _head_outputs(tensors: dict[str, Any]) -> int | None:
    for key, meta in tensors.items():
        if key.endswith(_HEAD_SUFFIXES) and isinstance(meta, dict) and meta.get("shape"):
            return int(meta["shape"][0])
    return None


def read_labels(directory: Path, task: Task, config: dict[str, Any]) -> tuple[list[str], str]:
    """Raw labels in id order and their source; label_encoder.json is used only when config's are generic."""
    num = config.get("num_labels")
    labels = labels_from_config(config.get("id2label"), num if isinstance(num, int) else None)
    if labels and not is_generic(labels):
        return labels, "config.id2label"
    encoder = directory / LABEL_ENCODER
    if not encoder.is_file():
        if labels:
            raise ModelLoadError(f"labels are generic ({labels[0]}, …) and {LABEL_ENCODER} is missing")
        raise ModelLoadError(f"config.json has no id2label and {LABEL_ENCODER} is missing")
    try:
        named = labels_from_encoder(_read_json(encoder), task)
    except ValueError as exc:
        raise ModelLoadError(str(exc)) from exc
    outputs = len(labels) if labels else num
    if isinstance(outputs, int) and outputs != len(named):
        raise ModelLoadError(f"{LABEL_ENCODER} has {len(named)} labels but the model has {outputs} outputs")
    return named, LABEL_ENCODER


def input_pipeline(config: dict[str, Any]) -> str:
    """The input pipeline a task's config.json asks for (absent = a Hugging Face tokenizer)."""
    value = config.get("input_pipeline", HF_PIPELINE)
    if value not in PIPELINES:
        raise ModelLoadError(f"unknown input_pipeline {value!r} (expected {' or '.join(PIPELINES)})")
    return str(value)


def _check_labels(task: Task, canon: list[str]) -> None:
    if len(set(canon)) != len(canon):
        raise ModelLoadError(f"duplicate labels after canonicalisation: {canon}")
    known = set(CANONICAL[task]) & set(canon)
    if task == "sentiment" and not {"긍정", "부정"} & known:
        raise ModelLoadError(f"sentiment labels {canon} include neither 긍정 nor 부정")
    if task == "category" and not known:
        raise ModelLoadError(f"category labels {canon} include none of E, S, G, 기타")


def inspect_task(models_dir: Path, name: str, task: Task) -> TaskModelInfo:
    """Everything that can be checked without loading torch; `problem` says what is wrong, if anything."""
    directory = task_dir(models_dir, name, task)
    info = TaskModelInfo(task=task, path=str(directory), exists=directory.is_dir())
    if not info.exists:
        info.problem = "directory missing"
        return info
    files = sorted(p for p in directory.iterdir() if p.is_file())
    info.files = [p.name for p in files]
    info.size_bytes = sum(p.stat().st_size for p in files)
    info.has_evidence = EVIDENCE_FILE in info.files
    try:
        if "config.json" not in info.files:
            raise ModelLoadError("config.json missing")
        config = _read_json(directory / "config.json")
        if not isinstance(config, dict):
            raise ModelLoadError("config.json is not an object")
        raw, info.label_source = read_labels(directory, task, config)
        info.input_pipeline = input_pipeline(config)
        info.labels, info.extra_labels = canonicalise(task, raw)
        weights = next((w for w in WEIGHT_FILES if w in info.files), None)
        if weights is None:
            raise ModelLoadError("no weights (model.safetensors or pytorch_model.bin)")
        if info.input_pipeline == KIWI_PIPELINE:
            if ROWS_FILE not in info.files:
                raise ModelLoadError(f"kiwi-cong model without {ROWS_FILE}")
        elif not any(t in info.files for t in TOKENIZER_FILES):
            raise ModelLoadError("no tokenizer files (tokenizer.json or vocab.txt)")
        if weights == "model.safetensors":
            outputs = _head_outputs(safetensors_header(directory / weights))
            if outputs is not None and outputs != len(raw):
                raise ModelLoadError(
                    f"config mismatch: {len(raw)} labels but the classifier has {outputs} outputs"
                )
        _check_labels(task, info.labels)
    except ModelLoadError as exc:
        info.problem = exc.reason
    except OSError as exc:
        info.problem = f"unreadable ({type(exc).__name__}: {exc.strerror or exc})"
    info.loadable = info.problem is None
    return info


def inspect_model_set(models_dir: Path, name: str) -> ModelSetInfo:
    """Both task directories of one model set; `problem` is the first one found, with its directory."""
    parts = {task: inspect_task(models_dir, name, task) for task in TASKS}
    problem = next((f"{p.path}: {p.problem}" for p in parts.values() if p.problem), None)
    return ModelSetInfo(
        name=name,
        path=str(models_dir),
        loadable=problem is None,
        problem=problem,
        category=parts["category"],
        sentiment=parts["sentiment"],
    )


def list_model_sets(models_dir: Path) -> list[ModelSetInfo]:
    """Every model set with at least one task directory under `models_dir`, by name."""
    try:
        entries = [p for p in models_dir.iterdir() if p.is_dir()]
    except OSError:
        return []
    names = set()
    for entry in entries:
        for task in TASKS:
            suffix = f"_{task}"
            if entry.name.endswith(suffix) and valid_name(entry.name[: -len(suffix)]):
                names.add(entry.name[: -len(suffix)])
    return [inspect_model_set(models_dir, n) for n in sorted(names)]
