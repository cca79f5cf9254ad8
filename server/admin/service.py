"""Administration use cases: read and change the policy (validated, versioned), keys, usage."""

from __future__ import annotations

import difflib
from typing import Any

from server.admin.schemas import (
    Catalogue,
    CatalogueModel,
    PolicyCheck,
    PolicyIn,
    PolicyIssue,
    PolicyOut,
    PolicyVersion,
    ServiceKeyCreated,
    ServiceKeyIn,
    ServiceKeyOut,
    Usage,
    UsageRow,
)
from server.auth.schemas import User
from server.errors import ApiError, NotFoundError
from server.gateway import policy as gateway_policy
from server.gateway import repository
from server.gateway.callers import hash_service_key, new_service_key
from server.gateway.errors import ModelNotFoundError, PolicyUnavailableError
from server.gateway.policy import PolicyError, canonical_name, parse_policy
from server.gateway.policy_store import LoadedPolicy
from server.gateway.service import Gateway
from server.messages import MESSAGES
from server.work.caches import Cache, announce
from tools.i18n import Language


class ConflictError(ApiError):
    """Someone saved another version meanwhile."""

    status_code = 409
    code = "conflict"


class AdminService:
    """What `/api/admin` does, on top of the gateway of this process."""

    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway
        self._pool = gateway.durable_pool
        self._usage_pool = gateway.pool
        self._store = gateway.store

    async def catalogue(self) -> Catalogue:
        """The models of the policy in force, with whether each is configured."""
        loaded = await self._store.current()
        catalogue = loaded.catalogue
        models = [
            CatalogueModel(
                **model.model_dump(exclude={"id"}), id=model.id, configured=catalogue.is_configured(model)
            )
            for model in catalogue.policy.models
        ]
        return Catalogue(policy_version=loaded.version, models=models)

    async def policy(self) -> PolicyOut:
        """The policy in force, or the reason why none is."""
        await self._store.reload()
        async with self._pool.connection() as conn:
            row = await repository.latest_policy(conn)
        error = self._store.error
        if row is not None:
            return PolicyOut(source="saved", error=error, **_version_fields(row))
        try:
            document = self._store.file_document()
        except OSError:
            document = ""
        return PolicyOut(version=0, source="file" if document else "none", document=document, error=error)

    async def check(self, document: str, language: Language = "fr") -> PolicyCheck:
        """Validate a proposed document and diff it against the one in force (problems in `language`)."""
        current = await self._current_document()
        try:
            parse_policy(document)
        except PolicyError as error:
            return PolicyCheck(
                valid=False,
                errors=error.errors_in(language),
                issues=[_issue(issue, language) for issue in error.issues],
                diff=_diff(current, document),
            )
        return PolicyCheck(valid=True, errors=[], diff=_diff(current, document))

    async def save(self, proposal: PolicyIn, author: User) -> PolicyVersion:
        """Validate, version and put in force a new policy.

        Raises:
            PolicyError: the document is invalid (the route answers 400 with the errors).
            ConflictError: another version was saved since `base_version`.
        """
        policy = parse_policy(proposal.document)
        async with self._pool.connection() as conn:
            latest = await repository.latest_policy_version(conn)
            if proposal.base_version is not None and proposal.base_version != latest:
                raise _conflict(latest)
            previous = await repository.latest_policy(conn)
            before = str(previous["document"]) if previous else self._file_or_empty()
            row = await repository.insert_policy(
                conn,
                version=latest + 1,
                document=proposal.document,
                comment=proposal.comment,
                diff=_diff(before, proposal.document),
                author_id=author.id,
                author_email=author.email,
            )
            if row is not None:
                await announce(conn, Cache.POLICY, str(row["version"]))  # the other processes
        if row is None:
            raise _conflict(latest + 1)
        self._store.install(self._store.build(policy, int(row["version"]), proposal.document))
        return PolicyVersion(**_version_fields(row))

    async def history(self, limit: int = 100) -> list[PolicyVersion]:
        """Saved versions, newest first (version 0, the file, is implicit)."""
        async with self._pool.connection() as conn:
            rows = await repository.policy_history(conn, limit)
        return [PolicyVersion(**_version_fields(row)) for row in rows]

    async def version(self, number: int) -> PolicyVersion:
        """One saved version with its document.

        Raises:
            NotFoundError: no such version.
        """
        async with self._pool.connection() as conn:
            row = await repository.policy_version(conn, number)
        if row is None:
            raise NotFoundError(
                MESSAGES("admin.policy_version_not_found", number=number), code="policy_version_not_found"
            )
        return PolicyVersion(**_version_fields(row))

    async def create_key(self, request: ServiceKeyIn, author: User) -> ServiceKeyCreated:
        """Create a service key; its value is returned once and only its hash is kept.

        Raises:
            ApiError: `unknown_model` (400), `key_name_taken` (409).
        """
        loaded = await self._store.current()
        models = [loaded.catalogue.resolve(name).id for name in request.models if _known(loaded, name)]
        unknown = [name for name in request.models if not _known(loaded, name)]
        if unknown:
            raise ApiError(MESSAGES("admin.unknown_models", models=", ".join(unknown)), code="unknown_model")
        key = new_service_key()
        values: dict[str, Any] = {
            "name": request.name,
            "service": request.service,
            "key_hash": hash_service_key(key),
            "key_prefix": key[:14],
            "models": sorted(set(models)),
            "assistants": sorted({canonical_name(a) for a in request.assistants}),
            "data_classes": sorted({c.value for c in request.data_classes}),
            "tokens_per_day": request.tokens_per_day,
            "created_by": author.email,
        }
        async with self._pool.connection() as conn:
            row = await repository.insert_key(conn, values)
        if row is None:
            raise ConflictError(MESSAGES("admin.key_name_taken", name=request.name), code="key_name_taken")
        return ServiceKeyCreated(**_key_fields(row), key=key)

    async def keys(self) -> list[ServiceKeyOut]:
        """Every service key (active and revoked)."""
        async with self._pool.connection() as conn:
            rows = await repository.list_keys(conn)
        return [ServiceKeyOut(**_key_fields(row)) for row in rows]

    async def revoke_key(self, key_id: str, author: User) -> ServiceKeyOut:
        """Revoke a key at once in this process, and in the others as soon as they hear of it.

        Raises:
            NotFoundError: no such key.
        """
        async with self._pool.connection() as conn:
            row = await repository.revoke_key(conn, key_id, author.email)
            if row is not None:
                await announce(conn, Cache.SERVICE_KEY, key_id)
        if row is None:
            raise NotFoundError(MESSAGES("admin.service_key_not_found"), code="service_key_not_found")
        self._gateway.forget_keys()
        return ServiceKeyOut(**_key_fields(row))

    async def usage(self, days: int) -> Usage:
        """Usage aggregated by user, service, job category, model and day."""
        groups: dict[str, list[UsageRow]] = {}
        async with self._usage_pool.connection() as conn:
            for group in repository.USAGE_GROUPS:
                rows = await repository.usage_by(conn, group, days)
                groups[f"by_{group}"] = [UsageRow(**{**row, "key": str(row["key"] or "")}) for row in rows]
        return Usage(days=days, **groups)

    async def _current_document(self) -> str:
        try:
            return (await self._store.current()).document
        except PolicyUnavailableError:
            return self._file_or_empty()

    def _file_or_empty(self) -> str:
        try:
            return self._store.file_document()
        except OSError:
            return ""


def _known(loaded: LoadedPolicy, name: str) -> bool:
    try:
        loaded.catalogue.resolve(name)
    except ModelNotFoundError:
        return False
    return True


def _issue(issue: gateway_policy.PolicyIssue, language: Language) -> PolicyIssue:
    return PolicyIssue(path=list(issue.path), message=issue.render(language), line=issue.line)


def _diff(before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), "en vigueur", "proposée", n=2
    )
    return "".join(lines)


def _conflict(latest: int) -> ConflictError:
    return ConflictError(
        MESSAGES("admin.policy_conflict", latest=latest),
        code="policy_conflict",
    )


def _version_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: row[key]
        for key in ("version", "document", "comment", "diff", "author_email", "created_at")
        if key in row
    }


def _key_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "id": str(row["id"])}
