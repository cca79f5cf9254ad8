"""Where the gateway gets its policy: the newest saved version, else the file in the repository.

The replica that saved a version puts it in force at once, the others when its notice arrives
(`server/work/caches.py`) and, whatever happens to notices, within `refresh_seconds`. When no policy
can be loaded, `current()` refuses every request with the reason (fail closed).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from server.gateway import repository
from server.gateway.decision import Catalogue
from server.gateway.errors import PolicyUnavailableError
from server.gateway.policy import Policy, PolicyError, ProviderKind, parse_policy
from server.gateway.providers import ResolvedProvider, resolve_providers
from server.gateway.upstream_settings import UpstreamSettings
from server.messages import MESSAGES
from tools.database import Pool
from tools.i18n import Text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedPolicy:
    """A policy that validated, with its source text and the providers it can reach."""

    version: int
    document: str
    catalogue: Catalogue
    providers: dict[str, ResolvedProvider]


class PolicyStore:
    """Loads, caches and swaps the policy; never serves a policy that did not validate."""

    def __init__(
        self, pool: Pool, file: Path, upstreams: dict[str, UpstreamSettings], refresh_seconds: float
    ) -> None:
        self._pool = pool
        self._file = file
        self._upstreams = upstreams
        self._refresh = refresh_seconds
        self._loaded: LoadedPolicy | None = None
        self._error: Text = MESSAGES("gateway.policy.not_loaded")
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()

    async def current(self) -> LoadedPolicy:
        """The policy in force.

        Raises:
            PolicyUnavailableError: no valid policy could be loaded; every request is refused.
        """
        if time.monotonic() - self._checked_at > self._refresh:
            await self.reload(only_if_newer=True)
        if self._loaded is None:
            raise PolicyUnavailableError(MESSAGES("gateway.policy_unavailable", reason=self._error))
        return self._loaded

    @property
    def refresh_seconds(self) -> float:
        """How long a policy (and what depends on it) may be served from cache."""
        return self._refresh

    @property
    def error(self) -> str | None:
        """Why no policy is in force, when none is (in French)."""
        return None if self._loaded else str(self._error)

    def file_document(self) -> str:
        """The default policy file's text.

        Raises:
            OSError: the file cannot be read.
        """
        return self._file.read_text(encoding="utf-8")

    def build(self, policy: Policy, version: int, document: str) -> LoadedPolicy:
        """Index a validated policy with the configured providers."""
        providers = resolve_providers(policy.providers, self._upstreams)
        local = {name for name, spec in policy.providers.items() if spec.kind is ProviderKind.LOCAL}
        catalogue = Catalogue(policy, set(providers) | local, version)
        return LoadedPolicy(version, document, catalogue, providers)

    def expire(self, _version: str | None = None) -> None:
        """A version was saved elsewhere: look for it before the next decision."""
        self._checked_at = float("-inf")

    def install(self, loaded: LoadedPolicy) -> None:
        """Put a freshly saved version in force in this process."""
        self._loaded = loaded
        self._checked_at = time.monotonic()

    async def reload(self, *, only_if_newer: bool = False) -> None:
        """Load the newest saved version (or the file); on failure, close the gateway."""
        async with self._lock:
            if only_if_newer and time.monotonic() - self._checked_at <= self._refresh:
                return  # another request reloaded meanwhile
            try:
                async with self._pool.connection() as conn:
                    if only_if_newer and self._loaded is not None:
                        newest = await repository.latest_policy_version(conn)
                        if newest == self._loaded.version:
                            self._checked_at = time.monotonic()
                            return
                    row = await repository.latest_policy(conn)
            except psycopg.Error as exc:
                # Keep the policy in force when the database blinks; refuse if there is none.
                self._error = MESSAGES("gateway.policy.database_unreachable", error=type(exc).__name__)
                logger.warning("policy reload failed: %s", type(exc).__name__)
                return
            self._checked_at = time.monotonic()
            self._loaded = self._load(row)

    def _load(self, row: dict[str, object] | None) -> LoadedPolicy | None:
        if row is not None:
            version, document, source = int(str(row["version"])), str(row["document"]), "version saved"
        else:
            version, source = 0, str(self._file)
            try:
                document = self.file_document()
            except OSError as exc:
                self._error = MESSAGES("gateway.policy.file_unreadable", file=self._file, error=exc.strerror)
                logger.error("gateway closed: policy file %s unreadable", self._file)
                return None
        try:
            policy = parse_policy(document)
        except PolicyError as error:
            problem = error.issues[0].located()
            self._error = (
                MESSAGES("gateway.policy.version_invalid", version=version, problem=problem)
                if row is not None
                else MESSAGES("gateway.policy.file_invalid", file=self._file, problem=problem)
            )
            logger.error("gateway closed: policy %s %s invalid: %s", source, version, error)
            return None
        return self.build(policy, version, document)
