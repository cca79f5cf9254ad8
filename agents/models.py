"""Model access of one run, through the gateway's OpenAI-compatible HTTP API only, as the caller."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np
import openai
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from agents.extractive import Vectors
from agents.fallback import MODEL_FAILURES, Fallback, FallbackReason, no_model
from agents.messages import run_language, say
from agents.recording import ObservedTransport, RunRecorder

__all__ = ["MODEL_FAILURES", "ModelAccess", "ModelChoice", "ModelUnavailableError", "failure_reason"]

EMBEDDING_MODEL = "all-minilm-l6-v2"
ASSISTANT_HEADER = "X-Ariane-Assistant"
DATA_CLASS_HEADER = "X-Ariane-Data-Class"


def failure_reason(exc: Exception) -> str:
    """The gateway's explanation of a failed model call (policy refusal, quota, upstream down).

    In the run's language: the gateway answers in the `Accept-Language` each call carries.
    """
    if isinstance(exc, openai.APIStatusError) and isinstance(exc.body, dict):
        message = exc.body.get("message") or exc.body.get("error", {}).get("message")
        if message:
            return str(message)
    if isinstance(exc, ModelUnavailableError) and exc.message:
        return exc.message
    return say("models.no_reply")


@dataclass(frozen=True)
class ModelChoice:
    """The chat model a node may use, or why there is none (then `fallback` says it)."""

    model: str | None
    fallback: Fallback | None = None


class ModelUnavailableError(Exception):
    """The gateway refused or failed; the message is the gateway's explanation (in the run's language)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class ModelAccess:
    """Chat models and embeddings of the gateway, for one caller (their token is the API key)."""

    base_url: str
    token: str
    transport: httpx.AsyncBaseTransport | None = None
    assistant: str | None = None
    models: tuple[str, ...] = ()
    recorder: RunRecorder | None = None  # the audit trail's, or a replay's transport in `transport`
    _http: httpx.AsyncClient | None = field(default=None, repr=False)

    @property
    def v1(self) -> str:
        """Base URL of the OpenAI-compatible API."""
        return f"{self.base_url.rstrip('/')}/v1"

    def _headers(self, data_class: str | None = None) -> dict[str, str]:
        # The run's language goes along: the gateway's refusals are quoted to the user as they come.
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": run_language()}
        if self.assistant:
            headers[ASSISTANT_HEADER] = self.assistant
        if data_class:
            headers[DATA_CLASS_HEADER] = data_class
        return headers

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            # Every gateway call is traced and, for the audit trail, recorded.
            transport = ObservedTransport(self.transport, self.recorder)
            self._http = httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(120.0, connect=5.0))
        return self._http

    async def aclose(self) -> None:
        """Close the HTTP client."""
        if self._http is not None:
            await self._http.aclose()

    async def chat_model_for(self, data_class: str, *, tools: bool = False) -> str | None:
        """The first chat model the caller may use for this data class (and tool calls), or None."""
        return (await self.chat_model(data_class, tools=tools)).model

    async def chat_model(self, data_class: str, *, tools: bool = False) -> ModelChoice:
        """The first chat model the caller may use for this data class (and tool calls), or why none.

        When the assistant lists `models`, only those are candidates (the gateway enforces it too).
        No chat model at all is « none configured »; chat models that may not receive this data
        class are « refused for this data class »; a gateway that does not answer the list (down,
        or too slow under load) is « model failed », never an error of the run.
        """
        try:
            response = await self._client().get(f"{self.v1}/models", headers=self._headers())
            listed = response.json().get("data", []) if response.status_code == 200 else []
        except (httpx.HTTPError, ValueError):  # unreachable, timed out, or not its JSON: no model now
            return ModelChoice(None, Fallback(FallbackReason.MODEL_FAILED, say("fallback.unreachable")))
        others_exist = False
        for model in listed:
            info: dict[str, Any] = model.get("ariane", {})
            capabilities = info.get("capabilities", {})
            if info.get("kind") != "chat" or (self.models and model["id"] not in self.models):
                continue
            if tools and not capabilities.get("tools"):
                continue
            if data_class not in info.get("data_classes", []):
                others_exist = True
                continue
            return ModelChoice(str(model["id"]))
        return ModelChoice(None, no_model(data_class, others_exist=others_exist))

    def chat(self, model: str, data_class: str) -> BaseChatModel:
        """A LangChain chat model bound to the gateway, temperature 0 for reproducible answers."""
        return ChatOpenAI(
            model=model,
            base_url=self.v1,
            api_key=SecretStr(self.token),
            temperature=0,
            max_retries=0,
            default_headers={k: v for k, v in self._headers(data_class).items() if k != "Authorization"},
            http_async_client=self._client(),
        )

    async def embed(self, texts: list[str]) -> Vectors:
        """Embeddings of `texts` (384 dimensions, local model behind the gateway).

        Raises:
            ModelUnavailableError: the gateway refused, failed or could not be reached.
        """
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        # Base64 float32: a quarter of the JSON numbers' size, decoded without parsing 384 floats a text.
        body = {"model": EMBEDDING_MODEL, "input": texts, "encoding_format": "base64"}
        try:
            response = await self._client().post(f"{self.v1}/embeddings", headers=self._headers(), json=body)
        except httpx.HTTPError as exc:  # unreachable or timed out: the run ends with a typed error
            raise ModelUnavailableError("gateway_unreachable", say("models.unreachable")) from exc
        if response.status_code != 200:
            error = response.json().get("error", {}) if response.content else {}
            raise ModelUnavailableError(
                str(error.get("code", "gateway_error")), str(error.get("message", ""))
            )
        rows = sorted(response.json()["data"], key=lambda item: item["index"])
        return np.stack([_vector(row["embedding"]) for row in rows])


def _vector(embedding: str | list[float]) -> Vectors:
    """One embedding as the gateway sent it: base64 float32 (asked for), or a list of numbers."""
    if isinstance(embedding, str):
        return np.frombuffer(base64.b64decode(embedding), dtype="<f4").astype(np.float32)
    return np.asarray(embedding, dtype=np.float32)
