"""The gateway's use cases: list models, complete a chat, embed texts — decided, metered, traced."""

from __future__ import annotations

import base64
import functools
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from opentelemetry.context import Context
from opentelemetry.trace import Tracer

from server.auth.schemas import User
from server.gateway import quotas, repository
from server.gateway.assistants import AssistantBinder, assistant_refusal
from server.gateway.callers import Caller, CallerKind, KeyScope, hash_service_key, is_service_key
from server.gateway.classification import classify
from server.gateway.decision import Decision
from server.gateway.detection.people import NameBook
from server.gateway.embeddings import DIMENSIONS, EmbeddingModelUnavailableError, TextEmbedder
from server.gateway.errors import AuthenticationError, GatewayError, InvalidRequestError, UpstreamError
from server.gateway.metering import Call, MeteringWriter, Settlement, finish, start_call
from server.gateway.policy import DataClass, ModelKind, ProviderKind, most_sensitive
from server.gateway.policy_store import LoadedPolicy, PolicyStore
from server.gateway.providers import UpstreamClient, Usage, relay_stream, upstream_key
from server.gateway.repository import Hold
from server.gateway.schemas import (
    ChatRequest,
    EmbeddingsRequest,
    declared_context,
    embedding_texts,
    message_texts,
    parse_body,
    request_content,
    strip_ariane_metadata,
)
from server.gateway.shaping import (
    apply_clamps,
    check_capabilities,
    declared_floor,
    tools_bytes,
    upstream_body,
)
from server.messages import MESSAGES
from tools.database import Pool

After = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Completed:
    """A whole answer; `after` meters it once it has been sent."""

    status_code: int
    content: bytes
    content_type: str
    after: After


@dataclass(frozen=True)
class Streamed:
    """Server-sent events, forwarded as they come; `after` meters once the stream ended."""

    events: AsyncIterator[bytes]
    after: After


Result = Completed | Streamed


class Gateway:
    """Everything one gateway process needs, built by the app's lifespan."""

    def __init__(
        self,
        *,
        pool: Pool,
        durable_pool: Pool,
        store: PolicyStore,
        upstream: UpstreamClient,
        embedder: TextEmbedder | None,
        authenticate_user: Callable[[str], Awaitable[User]],
        tracer: Tracer,
        assistants: AssistantBinder | None = None,
        names: NameBook | None = None,
    ) -> None:
        self.pool = pool
        self.meter = MeteringWriter(pool)
        self.names = names or NameBook()
        self.assistants = assistants or AssistantBinder(durable_pool, store.refresh_seconds)
        self.durable_pool = durable_pool
        self.store = store
        self.upstream = upstream
        self.embedder = embedder
        self._authenticate_user = authenticate_user
        self.tracer = tracer
        self._keys: dict[bytes, tuple[Caller | None, float]] = {}

    async def caller(self, authorization: str) -> Caller:
        """The caller a bearer value stands for: a service key or a user's access token.

        Raises:
            AuthenticationError: missing credentials or unknown/revoked service key.
            NotAuthenticatedError: invalid user token (from the shared authenticator).
        """
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthenticationError(
                MESSAGES("gateway.auth_required"), headers={"WWW-Authenticate": "Bearer"}
            )
        if not is_service_key(token):
            return Caller.from_user(await self._authenticate_user(token))
        caller = await self._service_key(hash_service_key(token))
        if caller is None:
            raise AuthenticationError(MESSAGES("gateway.unknown_key"))
        return caller

    def forget_keys(self, _key_id: str | None = None) -> None:
        """Drop cached service keys (after a revocation, here or announced by another process)."""
        self._keys.clear()

    async def _service_key(self, key_hash: bytes) -> Caller | None:
        cached = self._keys.get(key_hash)
        if cached is not None and time.monotonic() - cached[1] < self.store.refresh_seconds:
            return cached[0]
        async with self.durable_pool.connection() as conn:
            row = await repository.active_key(conn, key_hash)
        caller = None
        if row is not None:
            scope = KeyScope(
                models=frozenset(row["models"]),
                assistants=frozenset(row["assistants"]),
                data_classes=frozenset(DataClass(value) for value in row["data_classes"]),
                tokens_per_day=row["tokens_per_day"],
            )
            caller = Caller(CallerKind.SERVICE_KEY, str(row["id"]), row["name"], row["service"], scope=scope)
        self._keys[key_hash] = (caller, time.monotonic())
        return caller

    async def models(self, caller: Caller, assistant: str | None) -> dict[str, Any]:
        """`GET /v1/models`: the configured models this caller may use (as the assistant named).

        Raises:
            PermissionDeniedError: `assistant_not_allowed`.
        """
        loaded = await self.store.current()
        binding = await self.assistants.bind(caller, assistant)
        data = [
            {
                "id": model.id,
                "object": "model",
                "created": 0,
                "owned_by": model.provider,
                "ariane": {
                    "kind": model.kind.value,
                    "hosting": model.hosting.value,
                    "data_classes": [c.value for c in model.data_classes],
                    "capabilities": model.capabilities.model_dump(),
                },
            }
            for model in loaded.catalogue.allowed_models(caller, assistant)
            if binding is None or model.kind is not ModelKind.CHAT or binding.permits(model)
        ]
        return {"object": "list", "data": data}

    async def chat(
        self,
        caller: Caller,
        raw: bytes,
        headers: Mapping[str, str],
        parent: Context | None = None,
        idempotency_key: str | None = None,
    ) -> Result:
        """`POST /v1/chat/completions`; `idempotency_key`: the caller's, passed on to the upstream.

        Raises:
            GatewayError: every refusal and failure, already metered and traced.
        """
        request, body = parse_body(raw, ChatRequest)
        call = start_call(self.tracer, "chat", caller, request.model, parent)
        call.stream = request.stream
        holds: list[Hold] = []
        try:
            loaded = await self._decide(call, headers, request.metadata, body, ModelKind.CHAT)
            assert call.decision is not None
            check_capabilities(call.decision.model, request)
            max_tokens = apply_clamps(body, request, loaded.catalogue.policy.clamps)
            strip_ariane_metadata(body)
            estimate = quotas.estimate_input_tokens(message_texts(request), tools_bytes(request))
            holds = quotas.holds_for(caller, loaded.catalogue.policy.quotas, estimate + max_tokens)
            day = await quotas.reserve(self.pool, holds)
        except GatewayError as error:
            call.fail(error)
            await finish(self.meter, call)
            raise

        async def after(usage: Usage) -> None:
            call.input_tokens = usage.input_tokens if usage.reported else estimate
            call.output_tokens = usage.output_tokens
            await finish(self.meter, call, Settlement(holds, day, call.input_tokens + call.output_tokens))

        try:
            return await self._complete(call, loaded, call.decision, body, after, idempotency_key)
        except GatewayError as error:
            call.fail(error)
            await finish(self.meter, call, Settlement(holds, day, 0))
            raise

    async def embeddings(
        self, caller: Caller, raw: bytes, headers: Mapping[str, str], parent: Context | None = None
    ) -> Result:
        """`POST /v1/embeddings`: local model in process, or an OpenAI-compatible upstream.

        A local model whose provider the settings give a URL is served by that gateway (the one
        deployment that carries the embedding model), like any upstream.

        Raises:
            GatewayError: every refusal and failure, already metered and traced.
        """
        request, body = parse_body(raw, EmbeddingsRequest)
        call = start_call(self.tracer, "embeddings", caller, request.model, parent)
        try:
            texts = embedding_texts(request)
            loaded = await self._decide(call, headers, request.metadata, body, ModelKind.EMBEDDING)
            assert call.decision is not None
            model = call.decision.model
            call.used_model, call.response_model = model, model.id
            local = loaded.catalogue.policy.providers[model.provider].kind is ProviderKind.LOCAL
            if local and model.provider not in loaded.providers:  # else served by another gateway
                content = await self._embed_locally(call, request, texts)
                return Completed(200, content, "application/json", lambda: finish(self.meter, call))
            strip_ariane_metadata(body)
            provider = loaded.providers[model.provider]
            call.system = provider.spec.system
            payload, _ = upstream_body(body, model, stream_usage=False)
            reply = await self.upstream.complete(provider, model, "embeddings", payload)
        except GatewayError as error:
            call.fail(error)
            await finish(self.meter, call)
            raise
        call.status_code = reply.status_code
        call.input_tokens = reply.usage.input_tokens
        return Completed(
            reply.status_code, reply.content, reply.content_type, lambda: finish(self.meter, call)
        )

    async def _decide(
        self,
        call: Call,
        headers: Mapping[str, str],
        metadata: dict[str, Any] | None,
        body: dict[str, Any],
        kind: ModelKind,
    ) -> LoadedPolicy:
        loaded = await self.store.current()
        call.policy_version = loaded.version
        assistant, declared = declared_context(dict(headers), metadata)
        call.assistant = assistant
        binding = await self.assistants.bind(call.caller, assistant)
        floor = declared_floor(loaded.catalogue.policy, assistant, declared)
        if binding is not None:  # the stored assistant's declared class: a floor, never a ceiling
            floor = most_sensitive(floor, binding.data_class)
        texts, unreadable = request_content(body)
        call.classification = classify(texts, floor, names=self.names, unreadable=unreadable)
        decision = loaded.catalogue.decide(
            call.caller, call.requested_model, call.classification, assistant, kind
        )
        if binding is not None and kind is ModelKind.CHAT:
            if not binding.permits(decision.model):
                raise assistant_refusal(binding, decision.model)
            decision = replace(decision, fallbacks=tuple(filter(binding.permits, decision.fallbacks)))
        call.decision = decision
        return loaded

    async def _complete(
        self,
        call: Call,
        loaded: LoadedPolicy,
        decision: Decision,
        body: dict[str, Any],
        after: Callable[[Usage], Awaitable[None]],
        idempotency_key: str | None = None,
    ) -> Result:
        candidates = [decision.model, *decision.fallbacks]
        for position, model in enumerate(candidates):
            provider = loaded.providers[model.provider]
            call.used_model, call.response_model, call.system = (
                model,
                model.upstream_name,
                provider.spec.system,
            )
            payload, added_usage = upstream_body(body, model, stream_usage=provider.spec.stream_usage)
            try:
                if not body.get("stream"):
                    owner = f"{call.caller.kind}:{call.caller.id}"
                    key = upstream_key(owner, idempotency_key, model.id) if idempotency_key else None
                    reply = await self.upstream.complete(
                        provider, model, "chat/completions", payload, idempotency_key=key
                    )
                    call.status_code = reply.status_code
                    return Completed(
                        reply.status_code,
                        reply.content,
                        reply.content_type,
                        functools.partial(after, reply.usage),
                    )
                response = await self.upstream.open_stream(provider, model, payload)
            except UpstreamError:
                if position == len(candidates) - 1:
                    raise
                continue
            call.status_code = response.status_code
            if response.status_code != 200:  # the upstream refused the request: its answer, as it is
                content = await response.aread()
                await response.aclose()
                return Completed(
                    response.status_code,
                    content,
                    response.headers.get("content-type", ""),
                    functools.partial(after, Usage(reported=True)),
                )
            usage = Usage()
            events = relay_stream(response, usage, drop_usage_chunk=added_usage)
            return Streamed(events, functools.partial(after, usage))
        raise AssertionError("no candidate model")  # pragma: no cover: decide() always yields one

    async def _embed_locally(self, call: Call, request: EmbeddingsRequest, texts: list[str]) -> bytes:
        dimensions = request.model_extra.get("dimensions") if request.model_extra else None
        if dimensions not in (None, DIMENSIONS):
            raise InvalidRequestError(
                MESSAGES("gateway.dimensions", dimensions=DIMENSIONS), param="dimensions"
            )
        if self.embedder is None:
            raise GatewayError(MESSAGES("gateway.local_embeddings_not_loaded"), code="model_unavailable")
        try:
            embedded = await self.embedder.embed(texts)
        except EmbeddingModelUnavailableError as exc:
            raise UpstreamError(MESSAGES("gateway.local_embeddings_unavailable", reason=exc)) from exc
        call.input_tokens = embedded.tokens
        as_base64 = request.encoding_format == "base64"
        data = [
            {
                "object": "embedding",
                "index": index,
                "embedding": base64.b64encode(vector.astype("<f4").tobytes()).decode()
                if as_base64
                else vector.tolist(),
            }
            for index, vector in enumerate(embedded.vectors)
        ]
        assert call.used_model is not None
        answer = {
            "object": "list",
            "data": data,
            "model": call.used_model.id,
            "usage": {"prompt_tokens": embedded.tokens, "total_tokens": embedded.tokens},
        }
        return json.dumps(answer, separators=(",", ":")).encode()
