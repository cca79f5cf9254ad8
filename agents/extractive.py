"""Local extractive selection: central yet diverse passages (centrality + maximal marginal relevance).

Used by model nodes when no generative model is configured or allowed for the data at hand: the
answer is then made of what the sources actually say, picked with the local embeddings.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

_HESITATIONS = re.compile(r"\b(?:euh+|heu+|hum+|bah|ben|hein)\b\s*[,.]?\s*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")  # a line break ends a table row


def normalise_rows(vectors: Vectors) -> Vectors:
    """Unit-length rows, so that dot products are cosine similarities."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    result: Vectors = (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)
    return result


def centrality(vectors: Vectors) -> npt.NDArray[np.float64]:
    """How representative each row is of the whole: mean cosine similarity to the others."""
    unit = normalise_rows(vectors)
    similarity = unit @ unit.T
    count = len(unit)
    if count == 1:
        return np.ones(1)
    result: npt.NDArray[np.float64] = (similarity.sum(axis=1) - 1.0) / (count - 1)
    return result


def mmr_select(
    vectors: Vectors, k: int, *, relevance: npt.NDArray[np.float64] | None = None, diversity: float = 0.35
) -> list[int]:
    """Indices of `k` rows balancing relevance (default: centrality) and novelty, in selection order.

    Each step takes the row maximising `(1 - diversity) * relevance - diversity * max_sim_to_selected`.
    """
    if k <= 0 or len(vectors) == 0:
        return []
    unit = normalise_rows(vectors)
    similarity = unit @ unit.T
    scores = centrality(vectors) if relevance is None else relevance
    selected: list[int] = [int(np.argmax(scores))]
    while len(selected) < min(k, len(unit)):
        redundancy = similarity[:, selected].max(axis=1)
        combined = (1 - diversity) * scores - diversity * redundancy
        combined[selected] = -np.inf
        selected.append(int(np.argmax(combined)))
    return selected


def clean_spoken(text: str) -> str:
    """Spoken text made readable: hesitations removed, spaces squashed, first letter capitalised."""
    cleaned = _SPACES.sub(" ", _HESITATIONS.sub("", text)).strip(" ,")
    return cleaned[:1].upper() + cleaned[1:]


def sentences(text: str) -> list[str]:
    """The sentences of `text`, whitespace squashed."""
    return [" ".join(sentence.split()) for sentence in _SENTENCE_END.split(text) if sentence.strip()]


def best_sentence(text: str, max_chars: int = 280) -> str:
    """The longest sentence of `text` that fits `max_chars` (a verbatim substring, for quotes)."""
    fitting = [sentence for sentence in sentences(text) if len(sentence) <= max_chars]
    if fitting:
        return max(fitting, key=len)
    flat = " ".join(text.split())
    return flat[:max_chars].rsplit(" ", 1)[0] if len(flat) > max_chars else flat
