"""Assistant use cases: the gallery, the editor (new version at each save), and the profile a run honours."""

from __future__ import annotations

import time
from typing import Any

import psycopg
from opentelemetry import trace

from agents.assistant import AssistantProfile
from server.assistants import repository
from server.assistants.access import CREATOR_ROLES, Visitor, may_edit, may_use
from server.assistants.catalog import WORKFLOWS, ToolSource, builtin_tools, tool_server
from server.assistants.policy import (
    CatalogueSource,
    allowed_chat_models,
    chat_models_for,
    issues,
    policy_named_ids,
)
from server.assistants.schemas import (
    DATA_CLASSES,
    Assistant,
    AssistantIn,
    AssistantVersion,
    Audience,
    Author,
    EditorOptions,
    Issue,
    Option,
)
from server.assistants.validation import RESERVED_IDS, check_id, definition, slug
from server.auth.roles import Role
from server.auth.schemas import User
from server.errors import ApiError, ForbiddenError, NotFoundError
from server.messages import MESSAGES
from server.work.caches import Cache, announce, announce_now
from tools.database import Pool

DEFAULT_ASSISTANT = "ariane"
_tracer = trace.get_tracer("ariane.assistants")


class AssistantConflictError(ApiError):
    """The id is taken, or the assistant cannot be removed."""

    status_code = 409
    code = "assistant_exists"


def _visitor(user: User) -> Visitor:
    return Visitor.of(user.id, [str(role) for role in user.roles], user.service)


def _not_found(assistant_id: str) -> NotFoundError:
    return NotFoundError(
        MESSAGES("assistants.not_found", id=assistant_id[:80]),
        code="assistant_not_found",
    )


def _author(row: dict[str, Any], key: str) -> Author | None:
    if row.get(key) is None or row.get("author_name") is None:
        return None
    return Author(id=row[key], display_name=row["author_name"], email=row["author_email"])


def _audience(row: dict[str, Any]) -> Audience:
    return Audience(roles=row["audience_roles"], services=row["audience_services"])


class AssistantService:
    """Assistants of this server; one instance per process, built by the app's lifespan.

    What runs read of an assistant (its current version) is kept `refresh_seconds`: every chat turn
    reads it before its stream opens. A change is announced to every process (`server/work/caches.py`):
    `forget`. Editing always reads the stored row.
    """

    def __init__(
        self,
        pool: Pool,
        catalogue: CatalogueSource,
        tools: ToolSource = builtin_tools,
        refresh_seconds: float = 5.0,
    ) -> None:
        self._pool = pool
        self._catalogue = catalogue
        self._tools = tools
        self._refresh = refresh_seconds
        # Found rows only: ids nobody stored cannot grow it (there are as many as assistants).
        self._current: dict[str, tuple[dict[str, Any], float]] = {}

    def forget(self, assistant_id: str | None) -> None:
        """Drop the kept current version of an assistant (None: of every one)."""
        if assistant_id is None:
            self._current.clear()
        else:
            self._current.pop(assistant_id, None)

    async def usable(self, user: User) -> list[Assistant]:
        """The assistants the user may use (those they may edit included), built-in ones first."""
        visitor = _visitor(user)
        rows = [row for row in await repository.list_current(self._pool) if self._may_use(visitor, row)]
        catalogue, servers = await self._catalogue(), await self._tools()
        return [
            self._shape(row, user, issues(catalogue, user, row["id"], row["models"], row["tools"], servers))
            for row in rows
        ]

    async def get(self, user: User, assistant_id: str) -> Assistant:
        """One assistant the user may use, with what policy no longer allows of it.

        Raises:
            NotFoundError: `assistant_not_found`, also for one the user may not use.
        """
        row = await self._row(user, assistant_id)
        found = await self._issues(user, row)
        return self._shape(row, user, found)

    async def create(self, user: User, body: AssistantIn) -> Assistant:
        """A new assistant at version 1, authored by the user.

        Raises:
            ForbiddenError: the user's roles do not let them build assistants, or the id is one the
                policy names and the user is no AI administrator (`assistant_id_reserved`).
            ApiError: a bad field (400); AssistantConflictError: the id is taken (409).
        """
        if not _visitor(user).roles & CREATOR_ROLES:
            raise ForbiddenError(MESSAGES("assistants.create_forbidden"))
        explicit = check_id(body.id.strip()) if body.id and body.id.strip() else None
        catalogue = await self._catalogue()
        reserved = policy_named_ids(catalogue)
        fields = definition(body, catalogue, await self._tools())
        async with self._pool.connection() as conn, conn.transaction():
            assistant_id = explicit or await self._free_id(conn, slug(fields["name"]), reserved)
            if explicit and await repository.id_taken(conn, explicit):
                raise AssistantConflictError(MESSAGES("assistants.id_taken", id=explicit))
            if explicit in reserved and Role.AI_ADMIN not in user.roles:
                raise ForbiddenError(
                    MESSAGES("assistants.id_reserved", id=explicit),
                    code="assistant_id_reserved",
                )
            fields["knowledge"] = _knowledge(assistant_id, fields["tools"])
            try:
                await repository.insert_assistant(conn, assistant_id, user.id)
            except psycopg.errors.UniqueViolation as exc:  # created concurrently with the same id
                raise AssistantConflictError(MESSAGES("assistants.id_taken", id=assistant_id)) from exc
            await repository.insert_version(conn, assistant_id, 1, fields, user.id)
            await announce(conn, Cache.ASSISTANT, assistant_id)  # a refusal cached for this id
        _record("assistant create", user, assistant_id, 1)
        return await self.get(user, assistant_id)

    async def update(self, user: User, assistant_id: str, body: AssistantIn) -> Assistant:
        """Save a new version (the previous ones stay as they were).

        Raises:
            NotFoundError: not usable by the user; ForbiddenError: usable but not editable by them.
            ApiError: a bad field, or another id in the body (400).
        """
        row = await self._editable(user, assistant_id)
        if body.id and body.id.strip() != row["id"]:
            raise ApiError(MESSAGES("assistants.id_fixed"), code="assistant_id_mismatch")
        fields = definition(body, await self._catalogue(), await self._tools())
        fields["knowledge"] = _knowledge(row["id"], fields["tools"])
        async with self._pool.connection() as conn, conn.transaction():
            current = await repository.lock_current_version(conn, row["id"])
            if current is None:
                raise _not_found(assistant_id)
            await repository.insert_version(conn, row["id"], current + 1, fields, user.id)
            await announce(conn, Cache.ASSISTANT, row["id"])
        self.forget(row["id"])  # this process reads its own change at once, before the notice comes
        _record("assistant update", user, row["id"], current + 1)
        return await self.get(user, row["id"])

    async def archive(self, user: User, assistant_id: str) -> None:
        """Remove an assistant from use; its versions stay, since runs refer to them.

        Raises:
            NotFoundError, ForbiddenError; AssistantConflictError: a built-in assistant (409).
        """
        row = await self._editable(user, assistant_id)
        if row["builtin"]:
            raise AssistantConflictError(MESSAGES("assistants.builtin"), code="assistant_builtin")
        await repository.archive(self._pool, row["id"])
        await announce_now(self._pool, Cache.ASSISTANT, row["id"])
        self.forget(row["id"])
        _record("assistant archive", user, row["id"], row["version"])

    async def versions(self, user: User, assistant_id: str) -> list[AssistantVersion]:
        """Every version of an assistant the user may use, newest first.

        Raises:
            NotFoundError: `assistant_not_found`.
        """
        row = await self._row(user, assistant_id)
        return [
            AssistantVersion(
                **{
                    k: v
                    for k, v in version.items()
                    if k in AssistantVersion.model_fields and k not in {"audience", "created_by"}
                },
                audience=_audience(version),
                created_by=_author(version, "created_by"),
            )
            for version in await repository.list_versions(self._pool, row["id"])
        ]

    async def options(self, user: User, assistant_id: str = "") -> EditorOptions:
        """What the editor's pickers offer: models policy allows the user (as that assistant), tools."""
        catalogue = await self._catalogue()
        labels = {model.id: model.label for model in catalogue.policy.models} if catalogue else {}
        # Only models that can answer: allowed by policy and with a configured provider.
        configured = (
            {m.id for m in catalogue.policy.models if catalogue.is_configured(m)} if catalogue else set()
        )
        models = [m for m in allowed_chat_models(catalogue, user, assistant_id) if m in configured]
        return EditorOptions(
            models=[Option(id=model, label=labels.get(model, model)) for model in models],
            tools=[Option(id=name, label=label) for name, label in (await self._tools()).items()],
            workflows=[
                Option(id=name, label=MESSAGES.text(f"assistants.workflow.{name}", user.language))
                for name in WORKFLOWS
            ],
            data_classes=[
                Option(id=name, label=MESSAGES.text(f"assistants.data_class.{name}", user.language))
                for name in DATA_CLASSES
            ],
            roles=[role.value for role in Role],
            services=await repository.known_services(self._pool),
        )

    async def chat_models(self, user: User, assistant_id: str) -> list[Option]:
        """The models the chat's picker offers with this assistant (`chat_models_for`).

        Raises:
            NotFoundError: `assistant_not_found`.
        """
        profile, _ = await self.profile(user, assistant_id)
        return [
            Option(id=model.id, label=model.label or model.id)
            for model in chat_models_for(await self._catalogue(), user, profile)
        ]

    async def profile(self, user: User, assistant_id: str | None) -> tuple[AssistantProfile, list[Issue]]:
        """What a run of this user honours (the current version), and what policy no longer allows.

        Raises:
            NotFoundError: `assistant_not_found`.
        """
        row = await self._row(user, assistant_id or DEFAULT_ASSISTANT)
        fields = {name: row[name] for name in AssistantProfile.model_fields}
        return AssistantProfile.model_validate(fields), await self._issues(user, row)

    async def may_use(self, user: User, assistant_id: str) -> bool:
        """True when the user may use the assistant (its knowledge is then readable to them)."""
        row = await self._kept_current(assistant_id)
        return row is not None and self._may_use(_visitor(user), row)

    async def may_edit(self, user: User, assistant_id: str) -> bool:
        """True when the user may change the assistant (its knowledge included)."""
        row = await repository.get_current(self._pool, assistant_id)
        return (
            row is not None
            and self._may_use(_visitor(user), row)
            and may_edit(_visitor(user), row["author_id"])
        )

    async def _issues(self, user: User, row: dict[str, Any]) -> list[Issue]:
        catalogue, servers = await self._catalogue(), await self._tools()
        return issues(catalogue, user, row["id"], row["models"], row["tools"], servers)

    async def _kept_current(self, assistant_id: str) -> dict[str, Any] | None:
        kept = self._current.get(assistant_id)
        if kept is not None and time.monotonic() - kept[1] < self._refresh:
            return kept[0]
        row = await repository.get_current(self._pool, assistant_id)
        if row is None:
            self._current.pop(assistant_id, None)
        else:
            self._current[assistant_id] = (row, time.monotonic())
        return row

    async def _row(self, user: User, assistant_id: str, stored: bool = False) -> dict[str, Any]:
        """The assistant's current version if the user may use it; `stored`: read now, never kept."""
        if stored:
            row = await repository.get_current(self._pool, assistant_id)
        else:
            row = await self._kept_current(assistant_id)
        if row is None or not self._may_use(_visitor(user), row):
            raise _not_found(assistant_id)
        return row

    async def _editable(self, user: User, assistant_id: str) -> dict[str, Any]:
        row = await self._row(user, assistant_id, stored=True)
        if not may_edit(_visitor(user), row["author_id"]):
            raise ForbiddenError(MESSAGES("assistants.edit_forbidden"))
        return row

    @staticmethod
    def _may_use(visitor: Visitor, row: dict[str, Any]) -> bool:
        return may_use(visitor, row["author_id"], row["audience_roles"], row["audience_services"])

    @staticmethod
    async def _free_id(conn: Any, base: str, reserved: frozenset[str]) -> str:
        candidate, suffix = base, 1
        while (
            candidate in RESERVED_IDS or candidate in reserved or await repository.id_taken(conn, candidate)
        ):
            suffix += 1
            candidate = f"{base[:58]}-{suffix}"
        return candidate

    def _shape(self, row: dict[str, Any], user: User, found: list[Issue]) -> Assistant:
        return Assistant(
            **{k: v for k, v in row.items() if k in Assistant.model_fields and k != "author"},
            audience=_audience(row),
            author=_author(row, "author_id"),
            can_edit=may_edit(_visitor(user), row["author_id"]),
            issues=found,
        )


def _record(name: str, user: User, assistant_id: str, version: int) -> None:
    """A span per change of an assistant, for the audit trail."""
    with _tracer.start_as_current_span(name) as span:
        span.set_attributes(
            {
                "ariane.user.id": user.id,
                "ariane.assistant.id": assistant_id,
                "ariane.assistant.version": version,
            }
        )


def _knowledge(assistant_id: str, tools: list[str]) -> str | None:
    """The assistant's own document collection (its id) when it uses the knowledge tool."""
    return assistant_id if any(tool_server(tool) == "knowledge" for tool in tools) else None
