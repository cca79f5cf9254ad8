"""Shapes of `/v1` requests: validated enough to decide, forwarded as the caller wrote them."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from server.gateway.errors import InvalidRequestError
from server.gateway.policy import DataClass, canonical_name

T = TypeVar("T", bound=BaseModel)

ASSISTANT_HEADER = "x-ariane-assistant"
DATA_CLASS_HEADER = "x-ariane-data-class"
METADATA_ASSISTANT = "ariane_assistant"
METADATA_DATA_CLASS = "ariane_data_class"


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Message(_Open):
    """One chat message; content may be text or a list of parts."""

    role: str
    content: str | list[dict[str, Any]] | None = None
    tool_calls: list[dict[str, Any]] | None = None


class ChatRequest(_Open):
    """`POST /v1/chat/completions`."""

    model: str = Field(min_length=1, max_length=256)
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    max_tokens: int | None = Field(None, gt=0)
    max_completion_tokens: int | None = Field(None, gt=0)
    temperature: float | None = Field(None, ge=0, le=2)
    tools: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] | None = None
    stream_options: dict[str, Any] | None = None


class EmbeddingsRequest(_Open):
    """`POST /v1/embeddings`."""

    model: str = Field(min_length=1, max_length=256)
    input: str | list[str] | list[int] | list[list[int]]
    encoding_format: str = "float"
    metadata: dict[str, Any] | None = None


def parse_body(raw: bytes, shape: type[T]) -> tuple[T, dict[str, Any]]:
    """The validated request and the raw JSON object (what gets forwarded).

    Raises:
        InvalidRequestError: not JSON, not an object, or missing/invalid fields.
    """
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise InvalidRequestError("Le corps de la requête n'est pas du JSON valide.") from exc
    if not isinstance(data, dict):
        raise InvalidRequestError("Le corps de la requête doit être un objet JSON.")
    try:
        return shape.model_validate(data), data
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(part) for part in first["loc"])
        raise InvalidRequestError(f"Paramètre invalide : {param} ({first['msg']}).", param=param) from exc


def declared_context(
    headers: dict[str, str], metadata: dict[str, Any] | None
) -> tuple[str | None, DataClass | None]:
    """The assistant and data class the caller declares (header first, then `metadata`).

    Raises:
        InvalidRequestError: the declared data class is not one of the known classes.
    """
    metadata = metadata or {}
    assistant = headers.get(ASSISTANT_HEADER) or metadata.get(METADATA_ASSISTANT)
    declared = headers.get(DATA_CLASS_HEADER) or metadata.get(METADATA_DATA_CLASS)
    data_class = None
    if declared is not None:
        try:
            data_class = DataClass(canonical_name(str(declared)))
        except ValueError as exc:
            raise InvalidRequestError(
                f"Classe de données inconnue : « {declared} » (public, internal, personal, health).",
                param="metadata.ariane_data_class",
            ) from exc
    return (canonical_name(str(assistant)) or None) if assistant else None, data_class


def strip_ariane_metadata(body: dict[str, Any]) -> None:
    """Remove Ariane's own metadata keys before the body goes upstream."""
    metadata = body.get("metadata")
    if isinstance(metadata, dict):
        for key in (METADATA_ASSISTANT, METADATA_DATA_CLASS):
            metadata.pop(key, None)
        if not metadata:
            del body["metadata"]


def message_texts(request: ChatRequest) -> list[str]:
    """Every piece of text the messages carry (content parts, tool-call arguments)."""
    texts: list[str] = []
    for message in request.messages:
        if isinstance(message.content, str):
            texts.append(message.content)
        elif message.content:
            texts += [str(part.get("text", "")) for part in message.content if isinstance(part, dict)]
        for call in message.tool_calls or []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict):
                texts.append(str(function.get("arguments", "")))
    return texts


def embedding_texts(request: EmbeddingsRequest) -> list[str]:
    """The texts to embed.

    Raises:
        InvalidRequestError: token arrays (the local model takes text) or an empty input.
    """
    items = [request.input] if isinstance(request.input, str) else list(request.input)
    if not items or not all(isinstance(item, str) for item in items):
        raise InvalidRequestError(
            "`input` doit être un texte ou une liste non vide de textes.", param="input"
        )
    return [str(item) for item in items]
