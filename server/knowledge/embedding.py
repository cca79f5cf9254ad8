"""Embeddings of chunks and queries through the gateway (policy, metering, tracing), in batches.

The knowledge service calls the gateway object of this process rather than `/v1` over HTTP: the
server always hosts the gateway, and the query embedding sits on the search's latency budget. The
call is decided and metered exactly as `/v1/embeddings` would be, under the user it is made for.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from server.auth.roles import Role
from server.gateway.callers import Caller, CallerKind, KeyScope
from server.gateway.errors import GatewayError
from server.gateway.policy import DataClass
from server.gateway.service import Completed, Gateway
from server.knowledge.repository import Vector
from server.messages import MESSAGES
from tools.i18n import Text

EMBEDDING_MODEL = "all-minilm-l6-v2"
DIMENSIONS = 384
BATCH = 32  # texts per gateway call: bounded request size, one model batch each

# Seeding at start runs for no user: it is metered under this system identity, scoped to embeddings.
SYSTEM_CALLER = Caller(
    kind=CallerKind.SERVICE_KEY,
    id="ariane-knowledge",
    name="ariane-knowledge-indexing",
    service="Ariane",
    roles=frozenset({Role.STAFF}),
    scope=KeyScope(
        models=frozenset({EMBEDDING_MODEL}),
        assistants=frozenset(),
        data_classes=frozenset(DataClass),
    ),
)


class EmbeddingFailedError(Exception):
    """The gateway refused (`refused`: policy, quota) or failed; `reason` is its explanation.

    `reason` is a catalogue text (the gateway's refusals are) or a French string; `str(error)` is French.
    """

    def __init__(self, reason: str | Text, *, refused: bool = False) -> None:
        super().__init__(str(reason))
        self.reason = reason
        self.refused = refused


@dataclass(frozen=True)
class GatewayEmbedder:
    """Embeds through the gateway of this process (`gateway` is read when needed: built at start)."""

    gateway: Callable[[], Gateway]
    _metering: set[asyncio.Future[None]] = field(default_factory=set)

    async def settled(self) -> None:
        """Wait for the metering of the calls made so far (at shutdown, and in tests)."""
        while self._metering:
            await asyncio.gather(*self._metering)

    async def embed(self, texts: list[str], caller: Caller) -> Vector:
        """Unit-length vectors of `texts`, in order.

        Raises:
            EmbeddingFailedError: a refusal or failure of the gateway.
        """
        rows = [
            await self._batch(texts[start : start + BATCH], caller) for start in range(0, len(texts), BATCH)
        ]
        return np.concatenate(rows) if rows else np.zeros((0, DIMENSIONS), dtype=np.float32)

    async def _batch(self, texts: list[str], caller: Caller) -> Vector:
        body = json.dumps({"model": EMBEDDING_MODEL, "input": texts, "encoding_format": "base64"}).encode()
        try:
            result = await self.gateway().embeddings(caller, body, {})
        except GatewayError as exc:
            raise EmbeddingFailedError(exc.said, refused=exc.status_code < 500) from exc
        assert isinstance(result, Completed)
        try:
            if result.status_code != 200:
                raise EmbeddingFailedError(MESSAGES("knowledge.gateway_status", status=result.status_code))
            data = sorted(json.loads(result.content)["data"], key=lambda item: item["index"])
        finally:
            # Metered once the vectors are handed over, as `/v1` meters once the answer is sent: a
            # database round trip off the search's latency (`finish` logs its own failures).
            metering = asyncio.ensure_future(result.after())
            self._metering.add(metering)
            metering.add_done_callback(self._metering.discard)
        return np.stack(
            [np.frombuffer(base64.b64decode(item["embedding"]), dtype=np.float32) for item in data]
        )
