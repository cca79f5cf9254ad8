"""Assistants named in requests, bound server-side: a stored assistant the caller may use, or a refusal.

The header `X-Ariane-Assistant` is the caller's word; what the gateway trusts is the stored assistant
it names: its declared data class is the floor of the classification and its models, when it lists
some, are the only ones it may use.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from server.assistants import repository
from server.assistants.access import Visitor, may_use
from server.gateway.callers import Caller, CallerKind
from server.gateway.errors import PermissionDeniedError
from server.gateway.policy import DataClass, Model
from server.messages import MESSAGES
from tools.database import Pool


@dataclass(frozen=True)
class Binding:
    """What the gateway holds an assistant to."""

    id: str
    data_class: DataClass
    models: frozenset[str]

    def permits(self, model: Model) -> bool:
        """True when the assistant may use the model (an assistant listing no model may use any)."""
        return not self.models or model.id in self.models


@dataclass(frozen=True)
class _Stored:
    binding: Binding
    author_id: str | None
    roles: tuple[str, ...]
    services: tuple[str, ...]


class AssistantBinder:
    """Looks stored assistants up (cached for `refresh_seconds`, like the policy) and checks access.

    A change to an assistant is announced to every process (`server/work/caches.py`): `forget`.
    """

    def __init__(self, pool: Pool, refresh_seconds: float) -> None:
        self._pool = pool
        self._refresh = refresh_seconds
        self._cache: dict[str, tuple[_Stored | None, float]] = {}

    def forget(self, assistant: str | None) -> None:
        """Drop the cached assistant (None: every one)."""
        if assistant is None:
            self._cache.clear()
        else:
            self._cache.pop(assistant, None)

    async def bind(self, caller: Caller, assistant: str | None) -> Binding | None:
        """The stored assistant a request names, once the caller is known to be allowed to use it.

        Service keys are scoped by their administrator (the scope's assistants are labels of the
        automation): a stored assistant of that name still sets its floor, an unknown one nothing.

        Raises:
            PermissionDeniedError: `assistant_not_allowed`, for an unknown assistant or one the user
                may not use (indistinguishable on purpose).
        """
        if assistant is None:
            return None
        stored = await self._stored(assistant)
        if caller.kind is CallerKind.SERVICE_KEY:
            return stored.binding if stored else None
        visitor = Visitor.of(caller.id, caller.roles, caller.service)
        if stored is None or not may_use(visitor, stored.author_id, stored.roles, stored.services):
            raise PermissionDeniedError(
                MESSAGES("gateway.assistant_not_open", assistant=assistant[:80]),
                code="assistant_not_allowed",
                param="X-Ariane-Assistant",
            )
        return stored.binding

    async def _stored(self, assistant: str) -> _Stored | None:
        cached = self._cache.get(assistant)
        if cached is not None and time.monotonic() - cached[1] < self._refresh:
            return cached[0]
        row = await repository.get_current(self._pool, assistant)
        stored = None
        if row is not None:
            binding = Binding(row["id"], DataClass(row["data_class"]), frozenset(row["models"]))
            stored = _Stored(
                binding, row["author_id"], tuple(row["audience_roles"]), tuple(row["audience_services"])
            )
        self._cache[assistant] = (stored, time.monotonic())
        return stored


def assistant_refusal(binding: Binding, model: Model) -> PermissionDeniedError:
    """The refusal of a model the assistant does not list."""
    return PermissionDeniedError(
        MESSAGES(
            "gateway.assistant_model",
            assistant=binding.id,
            model=model.id,
            models=", ".join(sorted(binding.models)),
        ),
        param="model",
    )
