"""Kiwi's CoNg morpheme vectors, read exactly out of the installed `kiwipiepy_model/cong.mdl`.

Kiwi's contextual n-gram language model stores one 256-dimensional vector per morpheme id (row *i* is
`kiwi.morpheme(i)`), 4-bit quantised in groups of 8. kiwipiepy exposes similarities but no vectors, so
this module decodes the file the way Kiwi's AVX2 kernels do (layout from bab2min/Kiwi
`include/kiwi/CoNgramModel.h` and `src/CoNgramModel.cpp`). The result is exact: cosines of the decoded
vectors match `Kiwi.morpheme_similarity` to the precision of Kiwi's own approximate square root, which
a test checks.

Each row decodes to int8 values times one float scale, so `(int8 matrix, scales)` is a lossless copy
that a model set can ship or verify by digest (`CongVectors.digest`).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_HEADER = struct.Struct("<QQHHBBBBQQQQQ")  # 64 bytes
_HEADER_KEYS = ("vocab_size", "context_size", "dim", "flags", "key_size", "window_size", "qbit", "qgroup",
                "num_nodes", "node_offset", "key_offset", "value_offset", "emb_offset")


class CongFormatError(ValueError):
    """The file is not a CoNg model this reader understands."""


def default_model_path() -> Path:
    """`cong.mdl` inside the installed kiwipiepy_model package."""
    import kiwipiepy_model

    return Path(kiwipiepy_model.__file__).parent / "cong.mdl"


def _requantise_table() -> np.ndarray:
    """int8 per (local-scale byte, nibble): Kiwi's AVX2 rounding of (nibble − zero) · scale / 9."""
    scale_byte = np.arange(256)[:, None]
    nibble = np.arange(16)[None, :]
    local_scale = (scale_byte & 0x3F) + 9
    zero_point = (scale_byte >> 6) + 6
    x = (nibble - zero_point) * local_scale
    x = x + 4 * np.sign(x)
    return ((x * (32768 // 9) + 16384) >> 15).astype(np.int8)


@dataclass(frozen=True)
class CongVectors:
    """The morpheme ("output") matrix: `vectors()[i]` is the vector of Kiwi morpheme id i."""

    int8: np.ndarray  # (vocab, dim) int8
    scale: np.ndarray  # (vocab,) float32
    digest: str  # sha256 of the raw bytes of the morpheme section

    @property
    def vocab_size(self) -> int:
        """Number of morphemes with a vector."""
        return int(self.int8.shape[0])

    @property
    def dim(self) -> int:
        """Vector width."""
        return int(self.int8.shape[1])

    def vectors(self) -> np.ndarray:
        """float32 (vocab, dim)."""
        return self.int8.astype(np.float32) * self.scale[:, None]


def read_header(raw: bytes) -> dict[str, int]:
    """The 64-byte header as a dict."""
    if len(raw) < _HEADER.size:
        raise CongFormatError("file too short for a CoNg header")
    return dict(zip(_HEADER_KEYS, _HEADER.unpack_from(raw, 0), strict=True))


def load_cong_vectors(path: Path | None = None) -> CongVectors:
    """Decode the morpheme vectors of a CoNg model file (only that section is read: ~11 MB)."""
    path = path or default_model_path()
    with path.open("rb") as fh:
        head = read_header(fh.read(_HEADER.size))
        dim, qbit, qgroup = head["dim"], head["qbit"], head["qgroup"]
        if qbit != 4 or qgroup != 8 or dim % qgroup or head["flags"] & 2:
            layout = f"qbit {qbit}, qgroup {qgroup}, flags {head['flags']}"
            raise CongFormatError(f"unsupported CoNg layout ({layout})")
        packed = dim // 2 + 2 + dim // qgroup
        # Context records carry f16 bias (+ confidence and valid-token sum when the model has a window).
        context_record = packed + 2 * (1 + (2 if head["window_size"] > 0 else 0))
        fh.seek(head["emb_offset"] + head["context_size"] * context_record)
        vocab = head["vocab_size"]
        raw = fh.read(vocab * packed)
    if len(raw) != vocab * packed:
        raise CongFormatError(f"{path}: truncated morpheme section")
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(vocab, packed)
    nibbles = np.empty((vocab, dim), dtype=np.uint8)
    nibbles[:, 0::2] = rows[:, : dim // 2] & 0x0F
    nibbles[:, 1::2] = rows[:, : dim // 2] >> 4
    global_scale = rows[:, dim // 2 : dim // 2 + 2].copy().view("<f2")[:, 0].astype(np.float32)
    local = np.repeat(rows[:, dim // 2 + 2 :], qgroup, axis=1).astype(np.uint16)
    values = _requantise_table().reshape(-1)[local * 16 + nibbles]
    return CongVectors(int8=np.ascontiguousarray(values), scale=global_scale / 8.0,
                       digest=hashlib.sha256(raw).hexdigest())
