"""What every trainer shares: reproducible seeding, a progress bar, an optimizer step, installing a set."""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.ml.labels import TASKS

if TYPE_CHECKING:
    from rich.console import Console


def seed_everything(seed: int) -> None:
    """Python, NumPy and torch RNGs plus deterministic torch kernels."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def optimizer_step(model: Any, loss: Any, optimizer: Any, scheduler: Any) -> float:
    """Backward, clip gradients at 1.0, step optimizer and schedule; the loss as a float."""
    import torch

    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
    return float(loss.item())


def progress_bar(task: str, console: Console | None) -> Any:
    """Steps, running loss and elapsed time of one task on stderr (off without a console)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(f"[bold]{task}[/] {{task.description}}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("loss {task.fields[loss]:.4f}"), TimeElapsedColumn())
    return Progress(*columns, console=console, transient=True, disable=console is None)


def _install(staging: Path, output: Path, name: str) -> None:
    """Swap the finished set into place; the old set is only removed once the new one is there."""
    for task in TASKS:
        target = output / f"{name}_{task}"
        if target.exists():
            target.rename(staging / f"previous_{task}")
        (staging / f"{name}_{task}").rename(target)


@contextlib.contextmanager
def staged_set(output: Path, name: str) -> Iterator[Path]:
    """A hidden staging directory in `output` for a set being written; removed whatever happens."""
    output.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-training-", dir=output))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def install_set(staging: Path, output: Path, name: str, summary: dict[str, Any]) -> None:
    """Write the summary into both task directories, then swap the set into place atomically."""
    text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
    for task in TASKS:
        (staging / f"{name}_{task}" / "training_summary.json").write_text(text, encoding="utf-8")
    _install(staging, output, name)
