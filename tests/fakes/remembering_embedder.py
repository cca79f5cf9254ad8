"""Test-only: the real local embedding model, remembering each text's vector for the whole session.

Every test starts on a fresh database, so the gateway's shared embedding cache (PostgreSQL) is empty at
each test and the coach's documents, the seeded knowledge and the reference transcripts would be
embedded again, test after test, for identical vectors. The model is deterministic: a vector computed
once is the vector. Tests of the model itself (`tests/server/gateway/test_minilm.py`) use
`LocalEmbedder` directly.
"""

from __future__ import annotations

import numpy as np

from server.gateway.embeddings import DIMENSIONS, Embedded, LocalEmbedder


class RememberingEmbedder(LocalEmbedder):
    """`LocalEmbedder` that computes each distinct text once per test session."""

    def __init__(self, threads: int | None = None) -> None:
        super().__init__(threads)
        self._known: dict[str, tuple[np.ndarray, int]] = {}

    async def embed(self, texts: list[str]) -> Embedded:
        missing = list(dict.fromkeys(text for text in texts if text not in self._known))
        if missing:
            fresh = await super().embed(missing)
            for text, vector, count in zip(missing, fresh.vectors, fresh.counts, strict=True):
                self._known[text] = (vector, count)
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        counts = []
        for row, text in enumerate(texts):
            vectors[row], count = self._known[text]
            counts.append(count)
        return Embedded(vectors, sum(counts), tuple(counts))
