"""`news-service train` and `news-service evaluate` (typer command functions; heavy imports inside)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

_FILE_HELP = "labeled JSONL or CSV (text or title+description; category; sentiment; optional split)"


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def _quiet_libraries() -> None:
    import logging

    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)


_Data = Annotated[Path, typer.Option("--data", help=_FILE_HELP)]
_Name = Annotated[str, typer.Option("--name", help="model set name: writes {NAME}_category and _sentiment")]
_BaseModel = Annotated[Path | None, typer.Option(
    "--base-model", help="local HF encoder directory to fine-tune (default: compact BERT from scratch)")]
_Epochs = Annotated[int | None, typer.Option(
    "--epochs", min=1, help="maximum epochs (default 30 from scratch, 4 fine-tuning)")]
_MaxSteps = Annotated[int | None, typer.Option("--max-steps", min=1, help="stop after N optimizer steps")]
_Output = Annotated[Path | None, typer.Option("--output", help="models directory (default MODELS_DIR)")]
_Seed = Annotated[int, typer.Option("--seed", help="random seed")]
_TrainSplit = Annotated[str, typer.Option("--split", help="rows to train on (all if the file has no split)")]
_BatchSize = Annotated[int, typer.Option("--batch-size", min=1)]
_LearningRate = Annotated[float | None, typer.Option(
    "--learning-rate", help="default 1e-3 from scratch, 3e-5 fine-tuning")]
_Threads = Annotated[int, typer.Option("--threads", min=1, help="torch CPU threads for training")]
_ModelName = Annotated[str | None, typer.Option("--model-name", help="model set (default MODEL_NAME)")]
_ModelsDir = Annotated[Path | None, typer.Option("--models-dir", help="default MODELS_DIR")]
_EvalSplit = Annotated[str, typer.Option("--split", help="rows to score (all if the file has no split)")]
_Arch = Annotated[str, typer.Option(
    "--arch", help="kiwi-cong: Kiwi morphemes over Kiwi's CoNg vectors (the shipped set); bert: a compact "
    "BERT from scratch with its own WordPiece vocabulary. --base-model always fine-tunes that encoder")]
_Dev = Annotated[Path | None, typer.Option(
    "--dev", help="dev set by other writers: per-epoch scores and the calibration temperature (kiwi-cong)")]
_Json = Annotated[bool, typer.Option("--json", help="print one JSON object on stdout")]
_By = Annotated[str | None, typer.Option(
    "--by", help="also score each value of this column apart (e.g. writer, hard, company)")]


def train_command(
    *,
    data: _Data,
    name: _Name,
    base_model: _BaseModel = None,
    epochs: _Epochs = None,
    max_steps: _MaxSteps = None,
    output: _Output = None,
    seed: _Seed = 42,
    split: _TrainSplit = "train",
    batch_size: _BatchSize = 32,
    learning_rate: _LearningRate = None,
    threads: _Threads = 1,
    arch: _Arch = "kiwi-cong",
    dev: _Dev = None,
) -> None:
    """Train the ESG-category and sentiment models and write them as a model set."""
    from rich.console import Console

    from app.errors import AppError
    from app.ml.training import TrainConfig, train_model_set

    if not name or "/" in name or "\\" in name or name.startswith("."):
        _fail(f"--name must be a plain name such as 'demo', got {name!r}")
    if base_model is not None and not base_model.is_dir():
        _fail(f"--base-model {base_model}: not a directory")
    if arch not in {"kiwi-cong", "bert"}:
        _fail(f"--arch must be kiwi-cong or bert, got {arch!r}")
    if dev is not None and not dev.is_file():
        _fail(f"--dev {dev}: file not found")
    if output is None:
        from app.settings import Settings

        output = Settings().ml.models_dir
    _quiet_libraries()
    console = Console(stderr=True)
    try:
        if arch == "kiwi-cong" and base_model is None:
            from app.ml.morpheme_training import MorphemeTrainConfig, train_morpheme_set

            given = {"epochs": epochs, "learning_rate": learning_rate, "max_steps": max_steps}
            options: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
            summary = train_morpheme_set(MorphemeTrainConfig(
                data=data, name=name, output=output, dev=dev, seed=seed, split=split, batch_size=batch_size,
                threads=threads, **options), console)
        else:
            config = TrainConfig(data=data, name=name, output=output, base_model=base_model, epochs=epochs,
                                 max_steps=max_steps, seed=seed, split=split, batch_size=batch_size,
                                 learning_rate=learning_rate, threads=threads)
            summary = train_model_set(config, console)
    except AppError as exc:
        _fail(exc.message)
    except OSError as exc:  # unreadable base model, full disk, permissions
        _fail(str(exc))
    console.print(f"[green]wrote[/] {output / (name + '_category')} and {output / (name + '_sentiment')} "
                  f"in {summary['train_seconds']:.0f} s")
    from app.ml.evaluation import render_summary

    for part in ("validation", "dev"):
        if summary.get(part):
            console.print(f"[bold]{part}[/]")
            render_summary(summary[part], console)


def evaluate_command(
    *,
    data: _Data,
    model_name: _ModelName = None,
    models_dir: _ModelsDir = None,
    split: _EvalSplit = "validation",
    as_json: _Json = False,
    by: _By = None,
) -> None:
    """Score a model set and the keyword fallback side by side on a labeled file."""
    from app.errors import AppError
    from app.ml.datasets import read_examples, select_split
    from app.ml.evaluation import evaluate, render
    from app.ml.registry import ModelLoadError

    if model_name is None or models_dir is None:
        from app.settings import Settings

        settings = Settings()
        model_name = model_name or settings.ml.model_name
        models_dir = models_dir or settings.ml.models_dir
    _quiet_libraries()
    try:
        examples = select_split(read_examples(data), split, data)
        if by and not any(by in e.columns for e in examples):
            _fail(f"{data}: no row has a {by!r} column")
        result: dict[str, Any] = evaluate(examples, models_dir, model_name, by=by)
    except AppError as exc:
        _fail(exc.message)
    except ModelLoadError as exc:
        _fail(f"model set {model_name!r} in {models_dir}: {exc}")
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    from rich.console import Console

    render(result, Console())


def cli_app() -> typer.Typer:
    """Both commands as a standalone app (`python -m app.ml.commands train|evaluate`)."""
    app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)
    return app


if __name__ == "__main__":
    cli_app()()
