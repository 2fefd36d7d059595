"""fp32 CPU inference through oneDNN with pre-packed Linear weights.

`nn.Linear` on the CPU calls the BLAS `addmm` of the torch build; on this project's reference host (AMD
EPYC, AVX-512) that path ran a BERT-base forward pass at half the speed of oneDNN's matmul over weights
reordered once into its blocked layout — the same kernel `torch.compile` uses with freezing, without
needing a C++ compiler at run time or compiling per shape. Outputs agree with `nn.Linear` to float
rounding (~1e-6). Every packed model is checked against its unpacked self on one input before use; a
mismatch, or a torch build without the oneDNN operators, keeps the plain layers and says why once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

_TOLERANCE = 1e-3  # on logits; packing changes only the summation order (observed differences ~1e-6)


def _packed_linear_class() -> type[torch.nn.Module]:
    import torch

    class PackedLinear(torch.nn.Module):
        """A frozen `nn.Linear` whose weight lives in oneDNN's blocked layout (inference only)."""

        def __init__(self, linear: torch.nn.Linear) -> None:
            super().__init__()
            self.in_features = linear.in_features
            self.out_features = linear.out_features
            weight = linear.weight.detach()
            self.register_buffer("packed_weight", torch.ops.mkldnn._reorder_linear_weight(weight, None))
            self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().clone())

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            """x @ Wᵀ + b through oneDNN."""
            return torch.ops.mkldnn._linear_pointwise(x, self.packed_weight, self.bias, "none", [], "")

        def extra_repr(self) -> str:
            return f"in_features={self.in_features}, out_features={self.out_features}, oneDNN packed"

    return PackedLinear


def _probe_inputs(model: Any) -> dict[str, torch.Tensor]:
    import torch

    config = model.config
    generator = torch.Generator().manual_seed(0)
    high = max(2, min(int(getattr(config, "vocab_size", 2) or 2), 1000))
    ids = torch.randint(1, high, (2, 12), generator=generator)
    mask = torch.ones_like(ids)
    mask[1, 8:] = 0  # one padded row, as batches have
    return {"input_ids": ids, "attention_mask": mask}


def _linears(module: Any) -> list[tuple[Any, str, Any]]:
    """(parent, attribute, layer) for every fp32 `nn.Linear` (exact type: subclasses may do more)."""
    import torch

    found = []
    for name, child in module.named_children():
        if type(child) is torch.nn.Linear and child.weight.dtype == torch.float32:
            found.append((module, name, child))
        else:
            found += _linears(child)
    return found


def pack_linear_layers(model: Any) -> Any:
    """Pack `model`'s fp32 Linear layers for oneDNN in place; they stay plain when that is not safe."""
    import torch

    if not torch.backends.mkldnn.is_available():
        log.info("oneDNN is not available in this torch build; CPU inference uses plain Linear layers")
        return model
    originals = _linears(model)
    if not originals:
        return model
    problem = None
    try:
        inputs = _probe_inputs(model)
        with torch.inference_mode():
            expected = model(**inputs).logits
        packed = _packed_linear_class()
        with torch.no_grad():  # not inference tensors: the packed model may be used outside inference_mode
            for parent, name, child in originals:
                setattr(parent, name, packed(child))
        with torch.inference_mode():
            difference = float((model(**inputs).logits - expected).abs().max())
        if not difference <= _TOLERANCE:
            problem = f"packed output differs from the plain one by {difference:.3g} on a probe input"
    except Exception as exc:  # a private operator missing or refusing a shape: keep the plain layers
        problem = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    if problem is not None:
        for parent, name, child in originals:
            setattr(parent, name, child)
        log.warning("oneDNN weight packing not used (%s); CPU inference uses plain Linear layers", problem)
    return model
