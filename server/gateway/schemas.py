"""Shapes of `/v1` requests: validated enough to decide, forwarded as the caller wrote them."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from server.edge.json_text import JsonTextError, check_json_text
from server.gateway.errors import InvalidRequestError
from server.gateway.policy import DataClass, canonical_name
from server.messages import MESSAGES

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


def parse_body(raw: bytes, shape: type[T], max_depth: int = 64) -> tuple[T, dict[str, Any]]:
    """The validated request and the raw JSON object (what gets forwarded).

    Raises:
        InvalidRequestError: not JSON, nested too deep, holding NUL or a lone surrogate, not an
            object, or missing/invalid fields.
    """
    try:
        check_json_text(raw, max_depth)
    except JsonTextError as exc:
        raise InvalidRequestError(exc.text) from exc
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise InvalidRequestError(MESSAGES("gateway.not_json")) from exc
    if not isinstance(data, dict):
        raise InvalidRequestError(MESSAGES("gateway.not_object"))
    try:
        return shape.model_validate(data), data
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(part) for part in first["loc"])
        # pydantic's own phrase of the problem, in English whatever the caller reads
        reason = first["msg"]
        raise InvalidRequestError(
            MESSAGES("gateway.invalid_parameter", param=param, reason=reason), param=param
        ) from exc


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
                MESSAGES("gateway.unknown_data_class", declared=declared), param="metadata.ariane_data_class"
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


# Content parts a detector can read; any other part (image, audio, file, a type not known yet) cannot
# be classified and makes the request health data (fail closed).
_READABLE_PARTS = frozenset({"text", "refusal"})
_MEDIA_TYPES = frozenset(
    {"image_url", "image", "input_image", "input_audio", "audio", "file", "input_file", "video", "video_url"}
)
_NOT_CONTENT = frozenset({"model"})


def request_content(body: dict[str, Any]) -> tuple[list[str], bool]:
    """Every piece of text the body would send upstream, and whether it holds unreadable content.

    The messages come first, in order (a conversation is read as a whole), then every other field:
    tool and function definitions (descriptions, enums, parameter names), `response_format`,
    `metadata`, `name`, `user`, `stop`, `prediction`… — keys and values alike, since a key is sent
    as text too. Only the model's name is left out.
    """
    texts: list[str] = []
    unreadable = [False]
    messages = body.get("messages")
    if isinstance(messages, list):
        for message in messages:
            _collect(message, texts, unreadable, parts=True)
    for key, value in body.items():
        if key not in _NOT_CONTENT and key != "messages":
            texts.append(key)
            _collect(value, texts, unreadable)
    return texts, unreadable[0]


def _collect(value: Any, texts: list[str], unreadable: list[bool], *, parts: bool = False) -> None:
    if isinstance(value, str):
        if value.startswith("data:"):
            unreadable[0] = True
        texts.append(value)
    elif isinstance(value, list):
        for item in value:
            _collect(item, texts, unreadable, parts=parts)
    elif isinstance(value, dict):
        kind = value.get("type")
        if kind in _MEDIA_TYPES or (
            parts and "content" not in value and "role" not in value and kind not in _READABLE_PARTS
        ):
            unreadable[0] = True
        for key, item in value.items():
            texts.append(str(key))
            _collect(item, texts, unreadable, parts=parts and key == "content")


def embedding_texts(request: EmbeddingsRequest) -> list[str]:
    """The texts to embed.

    Raises:
        InvalidRequestError: token arrays (the local model takes text) or an empty input.
    """
    items = [request.input] if isinstance(request.input, str) else list(request.input)
    if not items or not all(isinstance(item, str) for item in items):
        raise InvalidRequestError(MESSAGES("gateway.embedding_input"), param="input")
    return [str(item) for item in items]
