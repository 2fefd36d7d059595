"""Accuracy, macro-F1, per-class scores and confusion matrices for a model set and the keyword fallback."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain.models import ArticleAnalysis
from app.ml.calibration import calibration_error
from app.ml.datasets import TASK_LABELS, Example
from app.ml.labels import TASKS

if TYPE_CHECKING:
    from rich.console import Console



def task_metrics(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 (over labels with gold support or predictions), per-class scores, confusion."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    order = list(labels) + sorted({*gold, *predicted} - set(labels))
    index = {label: i for i, label in enumerate(order)}
    matrix = [[0] * len(order) for _ in order]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    per_class: dict[str, dict[str, float | int]] = {}
    f1_scores: list[float] = []
    for i, label in enumerate(order):
        tp = matrix[i][i]
        support = sum(matrix[i])
        predicted_n = sum(row[i] for row in matrix)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": round(precision, 4), "recall": round(recall, 4),
                            "f1": round(f1, 4), "support": support}
        if support or predicted_n:
            f1_scores.append(f1)
    correct = sum(matrix[i][i] for i in range(len(order)))
    return {
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "macro_f1": round(sum(f1_scores) / len(f1_scores), 4) if f1_scores else 0.0,
        "per_class": per_class,
        "confusion": {"labels": order, "matrix": matrix},
    }


def macro_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    """Macro-F1 only (used for early stopping on the held-out slice of the train split)."""
    return float(task_metrics(gold, predicted, labels)["macro_f1"])


def predict_model_set(models_dir: Path, model_name: str, texts: Sequence[str]) -> dict[str, list[str]]:
    """Labels from the model set, loaded and run by the service's own `ModelManager` (what we serve)."""
    from app.ml.manager import ModelManager
    from app.ml.registry import ModelLoadError
    from app.settings import MLSettings

    manager = ModelManager(MLSettings(models_dir=Path(models_dir), model_name=model_name))
    try:
        info = manager.load()
        if info.ml_service_status != "local_model":
            # Never score the keyword fallback under the model's name.
            raise ModelLoadError(info.reason or f"model set {model_name!r} could not be loaded")
        analyses = manager.classify_texts(list(texts))
    finally:
        manager.close()
    return _predictions(analyses)


def _predictions(analyses: Sequence[ArticleAnalysis]) -> dict[str, list[Any]]:
    """Labels and the confidence of each (top-label probability), per task."""
    return {"category": [a.esg_classification.category for a in analyses],
            "sentiment": [a.sentiment_analysis.label for a in analyses],
            "category_confidence": [a.esg_classification.confidence for a in analyses],
            "sentiment_confidence": [a.sentiment_analysis.confidence for a in analyses]}


def predict_fallback(texts: Sequence[str]) -> dict[str, list[str]]:
    """Labels from the keyword fallback classifier (its public batch API, as the service runs it)."""
    from app.ml.fallback import KeywordClassifier

    return _predictions(KeywordClassifier().predict(list(texts)))


def score(examples: Sequence[Example], predictions: dict[str, list[Any]]) -> dict[str, Any]:
    """Metrics for both tasks in example order (and ECE when the predictions carry confidences)."""
    result: dict[str, Any] = {}
    for task in TASKS:
        gold = [getattr(e, task) for e in examples]
        result[task] = task_metrics(gold, predictions[task], TASK_LABELS[task])
        if f"{task}_confidence" in predictions:
            confidence = predictions[f"{task}_confidence"]
            correct = [g == p for g, p in zip(gold, predictions[task], strict=True)]
            result[task]["ece"] = round(calibration_error(correct, confidence), 4)
    return result


def group_scores(examples: Sequence[Example], predictions: dict[str, list[Any]],
                 fallback: dict[str, list[Any]], column: str) -> dict[str, dict[str, float | int]]:
    """Accuracy per value of one column (a writer, a hard-case kind …), model and fallback, largest first."""
    groups: dict[str, list[int]] = {}
    for i, example in enumerate(examples):
        groups.setdefault(example.columns.get(column, "") or "(empty)", []).append(i)
    result: dict[str, dict[str, float | int]] = {}
    for value in sorted(groups, key=lambda v: (-len(groups[v]), v)):
        rows = groups[value]
        scores: dict[str, float | int] = {"n": len(rows)}
        for prefix, source in (("", predictions), ("fallback_", fallback)):
            for task in TASKS:
                right = sum(source[task][i] == getattr(examples[i], task) for i in rows)
                scores[f"{prefix}{task}_accuracy"] = round(right / len(rows), 4)
        result[value] = scores
    return result


def evaluate(examples: Sequence[Example], models_dir: Path, model_name: str,
             by: str | None = None) -> dict[str, Any]:
    """The documented evaluation object: model set and fallback, both tasks (and per group with `by`)."""
    texts = [e.text for e in examples]
    predictions, fallback = predict_model_set(models_dir, model_name, texts), predict_fallback(texts)
    result = score(examples, predictions)
    result["fallback"] = score(examples, fallback)
    result["model_name"] = model_name
    result["n"] = len(examples)
    if by:
        result["by"] = {"column": by, "groups": group_scores(examples, predictions, fallback, by)}
    return result


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def render_summary(result: dict[str, Any], console: Console) -> None:
    """Accuracy and macro-F1 of the model set next to the keyword fallback."""
    from rich.table import Table

    table = Table(title=f"{result.get('model_name', 'model')} vs keyword fallback (n={result.get('n')})")
    for column in ("task", "metric", "model", "fallback", "Δ"):
        table.add_column(column, justify="left" if column in {"task", "metric"} else "right")
    for task in TASKS:
        for metric in ("accuracy", "macro_f1", "ece"):
            if metric not in result[task]:
                continue
            model, fallback = result[task][metric], result["fallback"][task][metric]
            table.add_row(task, metric, _fmt(model), _fmt(fallback), f"{(model - fallback) * 100:+.1f} pt")
    console.print(table)


def _confusion(title: str, metrics: dict[str, Any]) -> Any:
    from rich.table import Table

    labels, matrix = metrics["confusion"]["labels"], metrics["confusion"]["matrix"]
    grid = Table(title=title)
    grid.add_column("gold \\ pred")
    for label in labels:
        grid.add_column(label, justify="right")
    for label, row in zip(labels, matrix, strict=True):
        grid.add_row(label, *(str(v) for v in row))
    return grid


def _render_groups(by: dict[str, Any], console: Console) -> None:
    from rich.table import Table

    table = Table(title=f"accuracy by {by['column']} (model | fb = keyword fallback)")
    for column in (by["column"], "n", "category", "sentiment", "fb category", "fb sentiment"):
        table.add_column(column, justify="left" if column == by["column"] else "right")
    for value, scores in by["groups"].items():
        keys = ("category_accuracy", "sentiment_accuracy", "fallback_category_accuracy",
                "fallback_sentiment_accuracy")
        table.add_row(value, str(scores["n"]), *(_fmt(scores[k]) for k in keys))
    console.print(table)


def render(result: dict[str, Any], console: Console) -> None:
    """Summary, per-class scores and confusion matrices (model | keyword fallback) as rich tables."""
    from rich.columns import Columns
    from rich.table import Table

    render_summary(result, console)
    if "by" in result:
        _render_groups(result["by"], console)
    for task in TASKS:
        model, fallback = result[task], result["fallback"][task]
        table = Table(title=f"{task}: per class (model | fb = keyword fallback)")
        for column in ("label", "support", "P", "R", "F1", "fb P", "fb R", "fb F1"):
            table.add_column(column, justify="left" if column == "label" else "right")
        for label, scores in model["per_class"].items():
            other = fallback["per_class"].get(label, {"precision": 0.0, "recall": 0.0, "f1": 0.0})
            table.add_row(label, str(scores["support"]),
                          *(_fmt(s[k]) for s in (scores, other) for k in ("precision", "recall", "f1")))
        console.print(table)
        console.print(Columns([_confusion(f"{task} model (rows gold)", model),
                               _confusion(f"{task} fallback (rows gold)", fallback)]))
