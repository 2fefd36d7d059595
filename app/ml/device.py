"""Device choice (ML_DEVICE), torch thread count, fp16 / dynamic int8 / packed fp32 model preparation.

Physical cores: the CPUs this process may run on (`os.sched_getaffinity`) are grouped by their
`(physical_package_id, core_id)` from `/sys/devices/system/cpu/cpuN/topology`, so SMT siblings count
once; the result is capped by a cgroup v2 CPU quota (`/sys/fs/cgroup/cpu.max`) when one is set. Where
sysfs is unreadable (macOS, some containers) the usable logical CPU count is used instead.
"""

from __future__ import annotations

import logging
import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

_SYS_CPU = Path("/sys/devices/system/cpu")
_CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


@dataclass(frozen=True)
class DeviceChoice:
    """The device inference runs on, and why it is not the one asked for (if it is not)."""

    device: str  # "cpu" or "cuda:0"
    requested: str
    warning: str | None = None

    @property
    def is_cuda(self) -> bool:
        """Whether the chosen device is a GPU."""
        return self.device.startswith("cuda")


def _cuda_probe() -> str | None:
    """None when CUDA works (a tiny op runs), else a short reason."""
    import torch

    try:
        if not torch.cuda.is_available():
            return "CUDA is not available (no GPU, driver, or CUDA build of torch)"
        x = torch.ones(4, device="cuda:0")
        float((x * 2).sum().item())
    except Exception as exc:  # any driver/runtime failure means "not usable"
        return f"CUDA failed a test operation: {type(exc).__name__}: {exc}"
    return None


def resolve_device(requested: str) -> DeviceChoice:
    """Map `ML_DEVICE` (cpu | cuda | auto) to a usable device; unusable CUDA falls back to CPU."""
    requested = (requested or "auto").strip().lower()
    if requested == "cpu":
        return DeviceChoice("cpu", requested)
    if requested not in {"cuda", "auto"}:
        msg = f"ML_DEVICE={requested!r} is not one of cpu, cuda, auto; using cpu"
        log.warning(msg)
        return DeviceChoice("cpu", requested, msg)
    problem = _cuda_probe()
    if problem is None:
        return DeviceChoice("cuda:0", requested)
    if requested == "cuda":
        msg = f"ML_DEVICE=cuda requested but {problem}; falling back to cpu"
        log.warning(msg)
        return DeviceChoice("cpu", requested, msg)
    import torch

    if torch.version.cuda is not None:
        # A CUDA build of torch that cannot use the GPU (driver too old, no device passed through):
        # say so once, since the operator presumably meant to use it.
        msg = f"ML_DEVICE=auto: {problem}; using cpu"
        log.warning(msg)
        return DeviceChoice("cpu", requested, msg)
    return DeviceChoice("cpu", requested)


def _cgroup_cpu_limit() -> int | None:
    try:
        quota, period = _CGROUP_CPU_MAX.read_text().split()[:2]
        if quota == "max":
            return None
        return max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        return None


def physical_cores() -> int:
    """Physical cores usable by this process (see the module docstring for how they are found)."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = list(range(os.cpu_count() or 1))
    cores: set[tuple[str, str]] = set()
    for cpu in cpus:
        topo = _SYS_CPU / f"cpu{cpu}" / "topology"
        try:
            cores.add(
                ((topo / "physical_package_id").read_text().strip(), (topo / "core_id").read_text().strip())
            )
        except OSError:
            cores = set()
            break
    count = len(cores) or len(cpus) or 1
    limit = _cgroup_cpu_limit()
    return max(1, min(count, limit) if limit else count)


def configure_threads(requested: int = 0) -> int:
    """Set torch's intra-op thread count (0 = physical cores); returns the count in effect."""
    import torch

    threads = requested if requested > 0 else physical_cores()
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return threads


def prepare_model(
    model: Any, choice: DeviceChoice, quantize: str = "none", *, pack_weights: bool = True
) -> Any:
    """Put `model` in eval mode on its device: fp16 on CUDA; on CPU dynamic int8 or oneDNN-packed fp32."""
    model.eval()
    if choice.is_cuda:
        if quantize == "int8":
            log.warning("ML_QUANTIZE=int8 applies to CPU inference only; ignored on %s", choice.device)
        return model.half().to(choice.device)
    model = model.to("cpu")
    if quantize == "int8":
        return quantize_int8(model)
    if not pack_weights:
        return model
    from app.ml.packing import pack_linear_layers

    return pack_linear_layers(model)


def quantize_int8(model: torch.nn.Module) -> torch.nn.Module:
    """Dynamic int8 quantization of every Linear layer (weights int8, activations quantized on the fly)."""
    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        # torch.ao.quantization is deprecated in favour of torchao, which is not a dependency here.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
