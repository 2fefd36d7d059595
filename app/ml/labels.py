"""Label canonicalisation and label-map parsing (config.id2label, label_encoder.json)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from app.domain.model_sets import Task
from app.domain.models import EsgCategory, Sentiment

TASKS: tuple[Task, Task] = ("category", "sentiment")

CATEGORY_LABELS: tuple[str, ...] = tuple(c.value for c in EsgCategory)
SENTIMENT_LABELS: tuple[str, ...] = tuple(s.value for s in Sentiment)
CANONICAL: dict[Task, tuple[str, ...]] = {"category": CATEGORY_LABELS, "sentiment": SENTIMENT_LABELS}

# Sentiment label -> key of `SentimentResult.scores`.
SCORE_KEYS: dict[str, str] = {"긍정": "positive", "중립": "neutral", "부정": "negative"}

_SPELLINGS: dict[Task, dict[str, tuple[str, ...]]] = {
    "category": {
        "E": ("e", "환경", "환경(e)", "environment", "environmental", "env"),
        "S": ("s", "사회", "사회(s)", "social"),
        "G": ("g", "지배구조", "거버넌스", "지배구조(g)", "governance"),
        "기타": ("기타", "other", "others", "none", "etc", "n/a", "na"),
    },
    "sentiment": {
        "긍정": ("긍정", "positive", "pos"),
        "중립": ("중립", "neutral", "neu"),
        "부정": ("부정", "negative", "neg"),
    },
}
_LOOKUP: dict[Task, dict[str, str]] = {
    task: {spelling: canon for canon, spellings in table.items() for spelling in spellings}
    for task, table in _SPELLINGS.items()
}
_SPACES = re.compile(r"[\s_\-]+")
_GENERIC = re.compile(r"^label_?\d+$", re.IGNORECASE)


def _key(label: str) -> str:
    return _SPACES.sub("", label).casefold()


def canonical_label(task: Task, label: str) -> str:
    """Canonical spelling of `label` for `task`; unknown labels (such as `FIN`) come back stripped."""
    return _LOOKUP[task].get(_key(label), label.strip())


def is_canonical(task: Task, label: str) -> bool:
    """Whether `label` is one of the task's canonical labels."""
    return label in CANONICAL[task]


def is_generic(labels: Sequence[str]) -> bool:
    """True for transformers' placeholder names (`LABEL_0`, `LABEL_1`, …)."""
    return bool(labels) and all(_GENERIC.match(str(lab).strip()) for lab in labels)


def canonicalise(task: Task, labels: Sequence[str]) -> tuple[list[str], list[str]]:
    """Canonical labels in id order, and the ones outside the canonical set (reported as extra)."""
    canon = [canonical_label(task, lab) for lab in labels]
    extra = [lab for lab in canon if not is_canonical(task, lab)]
    return canon, extra


def labels_from_config(id2label: Mapping[Any, Any] | None, num_labels: int | None) -> list[str] | None:
    """Labels in id order from `config.id2label`; None when absent or not a dense 0..n-1 map."""
    if not id2label:
        return None
    try:
        by_id = {int(k): str(v) for k, v in id2label.items()}
    except (TypeError, ValueError):
        return None
    if sorted(by_id) != list(range(len(by_id))):
        return None
    if num_labels is not None and num_labels != len(by_id):
        return None
    return [by_id[i] for i in range(len(by_id))]


def _dense(by_id: Mapping[int, str], where: str) -> list[str]:
    if sorted(by_id) != list(range(len(by_id))):
        raise ValueError(f"{where}: ids must be 0..{len(by_id) - 1}, got {sorted(by_id)}")
    return [by_id[i] for i in range(len(by_id))]


def labels_from_encoder(data: Any, task: Task | None = None) -> list[str]:
    """Labels in id order from a parsed `label_encoder.json`.

    Accepted shapes (first match wins):
    - `{"category": <shape>, "sentiment": <shape>}`: one file for both tasks; the `task` entry is used;
    - `{"classes": ["E", "G", …]}` or a bare list: position = id (scikit-learn `LabelEncoder.classes_`);
    - `{"id2label": {"0": "E", …}}` or `{"0": "E", "1": "G", …}`: id → label;
    - `{"label2id": {"E": 0, …}}` or `{"E": 0, "G": 1, …}`: label → id.
    Raises ValueError with a short description when nothing matches.
    """
    if isinstance(data, Mapping) and task is not None and isinstance(data.get(task), Mapping | list):
        return labels_from_encoder(data[task])
    if isinstance(data, list):
        data = {"classes": data}
    if not isinstance(data, Mapping) or not data:
        raise ValueError("label_encoder.json: expected a JSON object or list")
    if "classes" in data:
        classes = data["classes"]
        if not isinstance(classes, list) or not classes:
            raise ValueError("label_encoder.json: 'classes' must be a non-empty list")
        return [str(c) for c in classes]
    if isinstance(data.get("id2label"), Mapping):
        data = data["id2label"]
    elif isinstance(data.get("label2id"), Mapping):
        return _from_label2id(data["label2id"])
    keys = list(data.keys())
    if all(str(k).strip().lstrip("-").isdigit() for k in keys):
        return _dense({int(k): str(v) for k, v in data.items()}, "label_encoder.json")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in data.values()):
        return _from_label2id(data)
    raise ValueError("label_encoder.json: unrecognised shape (see app/ml/labels.py for accepted forms)")


def _from_label2id(label2id: Mapping[str, Any]) -> list[str]:
    try:
        by_id = {int(v): str(k) for k, v in label2id.items()}
    except (TypeError, ValueError) as exc:
        raise ValueError("label_encoder.json: label2id values must be integers") from exc
    return _dense(by_id, "label_encoder.json")
