"""OpenAI-compatible upstreams (and Azure OpenAI's URL form), called through one shared HTTP client.

Responses are passed through as the upstream wrote them: non-streamed bodies byte for byte, streamed
bodies event by event as they arrive. The only event ever withheld is the usage-only chunk the
gateway asked for itself, for metering, when the caller did not ask for it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx
from pydantic import SecretStr

from server.gateway.errors import UpstreamError, UpstreamTimeoutError
from server.gateway.policy import Model, Provider, ProviderKind
from server.gateway.upstream_settings import UpstreamSettings
from server.messages import MESSAGES

_RETRYABLE_STATUS = {500, 502, 503, 504, 429}
_NULL_USAGE = re.compile(rb'"usage"\s*:\s*null')


@dataclass(frozen=True)
class ResolvedProvider:
    """A provider with the operator's settings applied: everything needed to call it."""

    name: str
    spec: Provider
    base_url: str
    api_key: SecretStr | None
    headers: Mapping[str, SecretStr]
    api_version: str | None
    timeout_seconds: float

    def url(self, model: Model, operation: str) -> str:
        """Endpoint of `operation` (`chat/completions`, `embeddings`) for `model`."""
        if self.spec.kind is ProviderKind.AZURE_OPENAI:
            return (
                f"{self.base_url}/openai/deployments/{model.upstream_name}/{operation}"
                f"?api-version={self.api_version or '2024-10-21'}"
            )
        return f"{self.base_url}/{operation}"

    def request_headers(self) -> dict[str, str]:
        """Authentication and extra headers; identity encoding so that streams pass through raw."""
        headers = {"Content-Type": "application/json", "Accept-Encoding": "identity"}
        headers.update(self.spec.headers)
        headers.update({name: value.get_secret_value() for name, value in self.headers.items()})
        if self.api_key is not None:
            if self.spec.kind is ProviderKind.AZURE_OPENAI:
                headers["api-key"] = self.api_key.get_secret_value()
            else:
                headers["Authorization"] = f"Bearer {self.api_key.get_secret_value()}"
        return headers


def resolve_providers(
    providers: Mapping[str, Provider], upstreams: Mapping[str, UpstreamSettings]
) -> dict[str, ResolvedProvider]:
    """The configured remote providers: declared in the policy, with a base URL from policy or settings."""
    resolved = {}
    overrides = {name.lower(): value for name, value in upstreams.items()}
    for name, spec in providers.items():
        override = overrides.get(name.lower(), UpstreamSettings())
        base_url = override.base_url or spec.base_url
        if spec.kind is ProviderKind.LOCAL:
            # A local model is served in this process, unless the operator's settings (never the
            # policy) send it to the Ariane gateway that runs it: the API image carries no torch.
            base_url = override.base_url
        if not base_url or not override.enabled:
            continue
        if override.api_key is not None and not override.base_url:
            # The policy (editable through the API) must not be able to send the operator's key to
            # a host of its choosing: a provider with a key takes its URL from the settings only.
            continue
        resolved[name] = ResolvedProvider(
            name=name,
            spec=spec,
            base_url=base_url.rstrip("/"),
            api_key=override.api_key,
            headers=override.headers,
            api_version=override.api_version or spec.api_version,
            timeout_seconds=override.timeout_seconds or spec.timeout_seconds,
        )
    return resolved


@dataclass
class Usage:
    """Tokens of one call, as the upstream reported them (or estimated when it did not)."""

    input_tokens: int = 0
    output_tokens: int = 0
    reported: bool = False

    def take(self, usage: object) -> None:
        """Read an OpenAI `usage` object."""
        if isinstance(usage, dict):
            self.input_tokens = int(usage.get("prompt_tokens") or 0)
            self.output_tokens = int(usage.get("completion_tokens") or 0)
            self.reported = True


@dataclass
class Reply:
    """A non-streamed upstream answer."""

    status_code: int
    content: bytes
    content_type: str
    usage: Usage = field(default_factory=Usage)


def upstream_key(caller: str, key: str, model: str) -> str:
    """The `Idempotency-Key` the upstream gets for `caller`'s `key` sent to `model`.

    A digest (never the caller's own text or name), one per model: a fallback to another model is
    another request.
    """
    digest = hashlib.sha256(f"{caller}\n{key}\n{model}".encode()).hexdigest()
    return f"ariane-{digest[:48]}"


class UpstreamClient:
    """Calls upstreams with retries on connection failures, timeouts and 5xx."""

    def __init__(self, http: httpx.AsyncClient, retry_backoff_seconds: float = 0.2) -> None:
        self.http = http
        self._backoff = retry_backoff_seconds

    async def complete(
        self,
        provider: ResolvedProvider,
        model: Model,
        operation: str,
        body: bytes,
        idempotency_key: str | None = None,
    ) -> Reply:
        """One non-streamed call (its retries under the same `Idempotency-Key`, when given).

        Raises:
            UpstreamError: 5xx, connection failure or refused credentials after retries (502).
            UpstreamTimeoutError: no answer within the timeout after retries (504).
        """
        extra = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        response = await self._send(provider, model, operation, body, stream=False, extra=extra)
        reply = Reply(response.status_code, response.content, response.headers.get("content-type", ""))
        if response.status_code != 200:
            reply.usage.reported = True  # refused upstream: nothing was generated, nothing is counted
            return reply
        try:
            reply.usage.take(json.loads(response.content).get("usage"))
        except (ValueError, AttributeError):
            pass  # not JSON we understand: still passed through, metered by estimate
        return reply

    async def open_stream(self, provider: ResolvedProvider, model: Model, body: bytes) -> httpx.Response:
        """Start a streamed call; the caller must close the returned response.

        Raises:
            UpstreamError: as `complete`.
            UpstreamTimeoutError: as `complete`.
        """
        return await self._send(provider, model, "chat/completions", body, stream=True)

    async def _send(
        self,
        provider: ResolvedProvider,
        model: Model,
        operation: str,
        body: bytes,
        *,
        stream: bool,
        extra: dict[str, str] | None = None,
    ) -> httpx.Response:
        timeout = httpx.Timeout(provider.timeout_seconds, connect=provider.spec.connect_timeout_seconds)
        request = self.http.build_request(
            "POST",
            provider.url(model, operation),
            content=body,
            headers=provider.request_headers() | (extra or {}),
            timeout=timeout,
        )
        attempts = provider.spec.max_retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                # A whole-call deadline on top of httpx's per-read timeouts (a trickling upstream).
                with anyio.fail_after(provider.timeout_seconds):
                    response = await self.http.send(request, stream=stream)
            except (httpx.TimeoutException, TimeoutError) as exc:
                if last:
                    raise _timeout(model) from exc
            except httpx.TransportError as exc:
                if last:
                    raise _unreachable(model) from exc
            else:
                if response.status_code in (401, 403):
                    await response.aclose()
                    raise _refused_credentials(model)
                if response.status_code not in _RETRYABLE_STATUS or last:
                    if response.status_code in _RETRYABLE_STATUS:
                        await response.aclose()
                        raise _failed(model, response.status_code)
                    return response
                await response.aclose()
            await asyncio.sleep(self._backoff * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover


async def relay_stream(
    response: httpx.Response, usage: Usage, *, drop_usage_chunk: bool
) -> AsyncIterator[bytes]:
    """The upstream's server-sent events, each forwarded as soon as it is complete.

    Reads `usage` from the chunk that carries it; withholds the usage-only chunk when the gateway,
    not the caller, asked for it.
    """
    buffer = b""
    chunks = 0
    try:
        async for data in response.aiter_raw():
            buffer += data
            while (end := _event_end(buffer)) >= 0:
                event, buffer = buffer[:end], buffer[end:]
                chunks += 1
                if b'"usage"' in event and not _NULL_USAGE.search(event):
                    if _read_usage(event, usage) and drop_usage_chunk:
                        continue
                yield event
        if buffer:
            yield buffer
    finally:
        await response.aclose()
    if not usage.reported:
        usage.output_tokens = max(chunks - 2, 0)  # about one token per content chunk


def _event_end(buffer: bytes) -> int:
    for separator in (b"\n\n", b"\r\n\r\n"):
        index = buffer.find(separator)
        if index >= 0:
            return index + len(separator)
    return -1


def _read_usage(event: bytes, usage: Usage) -> bool:
    """Take the usage of an event; True when the event is a usage-only chunk (no choices)."""
    for line in event.splitlines():
        if line.startswith(b"data:"):
            try:
                payload: Any = json.loads(line[5:])
            except ValueError:
                return False
            if isinstance(payload, dict):
                usage.take(payload.get("usage"))
                return not payload.get("choices")
    return False


def _refused_credentials(model: Model) -> UpstreamError:
    return UpstreamError(
        MESSAGES("gateway.upstream_credentials", model=model.id),
        code="upstream_auth_failed",
    )


def _timeout(model: Model) -> UpstreamTimeoutError:
    return UpstreamTimeoutError(MESSAGES("gateway.upstream_timeout", model=model.id))


def _unreachable(model: Model) -> UpstreamError:
    return UpstreamError(
        MESSAGES("gateway.upstream_unreachable", model=model.id),
        code="upstream_unreachable",
    )


def _failed(model: Model, status: int) -> UpstreamError:
    return UpstreamError(MESSAGES("gateway.upstream_failed", model=model.id, status=status))
