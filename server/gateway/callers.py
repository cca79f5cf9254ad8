"""Who calls the gateway: a signed-in user (bearer token) or a service key made by an administrator."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from server.auth.roles import Role
from server.auth.schemas import User
from server.gateway.policy import DataClass

SERVICE_KEY_PREFIX = "ariane-sk-"


class CallerKind(StrEnum):
    """The two kinds of callers."""

    USER = "user"
    SERVICE_KEY = "service_key"


@dataclass(frozen=True)
class KeyScope:
    """What a service key may do: these models, as these assistants, with data up to these classes."""

    models: frozenset[str]
    assistants: frozenset[str]
    data_classes: frozenset[DataClass]
    tokens_per_day: int | None = None


@dataclass(frozen=True)
class Caller:
    """The identity a request is decided, metered and traced under."""

    kind: CallerKind
    id: str
    name: str
    service: str
    job_category: str = ""
    roles: frozenset[Role] = field(default_factory=frozenset)
    scope: KeyScope | None = None

    @classmethod
    def from_user(cls, user: User) -> Caller:
        """A user calling with their bearer token (directly or through an agent acting for them)."""
        return cls(
            kind=CallerKind.USER,
            id=user.id,
            name=user.email,
            service=user.service,
            job_category=user.job_category,
            roles=frozenset(user.roles),
        )


def is_service_key(token: str) -> bool:
    """True when a bearer value is a service key rather than an access token."""
    return token.startswith(SERVICE_KEY_PREFIX)


def new_service_key() -> str:
    """A fresh random service key (shown once to the administrator, then only its hash is kept)."""
    return SERVICE_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_service_key(key: str) -> bytes:
    """The stored form of a key: SHA-256 suffices, the key being 256 random bits, not a password."""
    return hashlib.sha256(key.encode()).digest()
