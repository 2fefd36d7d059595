"""Model sets as found on disk (`app.ml.registry` inspects them; `GET /api/v1/system/models` lists them)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Task = Literal["category", "sentiment"]
HF_PIPELINE = "hf-tokenizer"
KIWI_PIPELINE = "kiwi-cong"
PIPELINES = (HF_PIPELINE, KIWI_PIPELINE)


class TaskModelInfo(BaseModel):
    """One task directory of a model set, as seen on disk."""

    task: Task
    path: str
    exists: bool
    labels: list[str] = Field(default_factory=list, description="canonical labels in id order")
    extra_labels: list[str] = Field(default_factory=list, description="labels outside the canonical set")
    label_source: str | None = Field(None, description="config.id2label or label_encoder.json")
    input_pipeline: str = Field(HF_PIPELINE,
                                description="hf-tokenizer (WordPiece/BPE) or kiwi-cong (Kiwi morphemes)")
    files: list[str] = Field(default_factory=list)
    size_bytes: int = 0
    has_evidence: bool = False
    loadable: bool = False
    problem: str | None = None


class ModelSetInfo(BaseModel):
    """A model set found under MODELS_DIR (what `GET /api/v1/system/models` lists)."""

    name: str
    path: str
    loadable: bool
    problem: str | None = None
    active: bool = False
    category: TaskModelInfo
    sentiment: TaskModelInfo
