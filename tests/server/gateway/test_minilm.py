"""The NumPy all-MiniLM-L6-v2 gives the vectors sentence-transformers gives from the same weights.

`data/minilm_reference.json` was produced once by sentence-transformers (its `produced_by` says which
versions) on texts that exercise the tokenizer and the model: accents, an empty text, one letter,
emoji and French quotes, English, figures, and a text cut at 256 tokens.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from server.gateway.embeddings import BATCH_SIZE, DIMENSIONS, LocalEmbedder

pytestmark = pytest.mark.anyio

REFERENCE: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "minilm_reference.json").read_text(encoding="utf-8")
)["texts"]


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
async def model() -> Any:
    embedder = LocalEmbedder(threads=2)
    yield embedder
    embedder.close()


async def test_the_vectors_and_token_counts_are_sentence_transformers_ones(model: LocalEmbedder) -> None:
    texts = [entry["text"] for entry in REFERENCE]
    embedded = await model.embed(texts)
    expected = np.array([entry["vector"] for entry in REFERENCE], dtype=np.float32)
    assert embedded.vectors.shape == (len(texts), DIMENSIONS)
    assert np.abs(embedded.vectors - expected).max() < 1e-5
    assert list(embedded.counts) == [entry["tokens"] for entry in REFERENCE]
    assert embedded.tokens == sum(entry["tokens"] for entry in REFERENCE)
    assert np.allclose(np.linalg.norm(embedded.vectors, axis=1), 1.0, atol=1e-5)


async def test_a_text_gets_the_same_vector_alone_or_in_a_padded_batch_of_many(model: LocalEmbedder) -> None:
    # More texts than one batch, of very different lengths: padding and reordering must not show.
    texts = [entry["text"] for entry in REFERENCE] * (BATCH_SIZE // 4)
    together = await model.embed(texts)
    for n, entry in enumerate(REFERENCE):
        alone = await model.embed([entry["text"]])
        assert np.abs(alone.vectors[0] - together.vectors[n]).max() < 1e-5
        assert np.abs(together.vectors[n + len(REFERENCE)] - together.vectors[n]).max() < 1e-6


async def test_related_texts_are_closer_than_unrelated_ones(model: LocalEmbedder) -> None:
    texts = ["Plafond d'une nuit d'hôtel en mission", "Congés annuels et report", "Nuitée d'hôtel : maximum"]
    hotel, leave, night = (await model.embed(texts)).vectors
    assert float(hotel @ night) > float(hotel @ leave)
