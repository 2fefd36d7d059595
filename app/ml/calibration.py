"""Temperature scaling and expected calibration error (Guo et al. 2017)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ECE_BINS = 10


def fit_temperature(logits: Any, gold: Sequence[int]) -> float:
    """The temperature T > 0 that minimises the negative log-likelihood of softmax(logits / T)."""
    import torch

    if len(gold) == 0:
        return 1.0
    target = torch.tensor(list(gold))
    logits = logits.detach().float()
    # A 1-D convex problem in log T: golden-section search is exact enough and needs no tuning.
    lo, hi = -3.0, 3.0
    ratio = (5 ** 0.5 - 1) / 2

    def nll(log_t: float) -> float:
        return float(torch.nn.functional.cross_entropy(logits / torch.exp(torch.tensor(log_t)), target))

    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = nll(a), nll(b)
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = nll(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = nll(b)
    return float(torch.exp(torch.tensor((lo + hi) / 2)))


def calibration_error(correct: Sequence[bool], confidence: Sequence[float], bins: int = ECE_BINS) -> float:
    """ECE of the top label: |accuracy − mean confidence| per equal-width confidence bin, weighted by size."""
    if not correct:
        return 0.0
    total = 0.0
    for k in range(bins):
        chosen = [i for i, c in enumerate(confidence) if k / bins < c <= (k + 1) / bins or (k == c == 0)]
        if chosen:
            accuracy = sum(bool(correct[i]) for i in chosen) / len(chosen)
            total += len(chosen) * abs(accuracy - sum(confidence[i] for i in chosen) / len(chosen))
    return total / len(correct)


def expected_calibration_error(logits: Any, gold: Sequence[int], bins: int = ECE_BINS) -> float:
    """ECE of softmax(logits) against gold label indices."""
    import torch

    probs = torch.softmax(logits.detach().float(), dim=-1)
    confidence, predicted = probs.max(dim=-1)
    return calibration_error([p == g for p, g in zip(predicted.tolist(), gold, strict=True)],
                             confidence.tolist(), bins)
