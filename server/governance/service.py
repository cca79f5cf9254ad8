"""The map of AI systems: what Ariane knows, merged with what people declared, and what needs attention."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from server.auth.roles import Role
from server.auth.schemas import User
from server.errors import ApiError, NotFoundError
from server.gateway.policy import Policy
from server.governance import drift_repository, inventory, quality, repository
from server.governance.risk import QUESTION_KEYS, QUESTIONS, RiskLevel, risk_level
from server.governance.schemas import (
    Alert,
    CollectionQuality,
    EvaluationPoint,
    Flag,
    HistoryEntry,
    LastEvaluation,
    RiskQuestion,
    Score,
    Sheet,
    SheetIn,
    System,
    SystemDetail,
    SystemKind,
    SystemMap,
    SystemStatus,
)
from server.governance.settings import GovernanceSettings
from server.governance.shadow.service import ShadowService
from server.messages import MESSAGES
from tools.database import Pool
from tools.i18n import DEFAULT_LANGUAGE, Language

SYSTEMS_FILE = Path(__file__).resolve().parent / "systems.yaml"
PolicySource = Callable[[], Awaitable[tuple[Policy, frozenset[str]] | None]]


@cache
def builtin_catalogue() -> dict[str, Any]:
    """The shipped sheets of the built-in systems and the robots that use AI (systems.yaml)."""
    data: dict[str, Any] = yaml.safe_load(SYSTEMS_FILE.read_text(encoding="utf-8"))
    return data


def builtin_sheet(system_id: str) -> Sheet:
    """The shipped sheet of a built-in system (empty for any other)."""
    entry = builtin_catalogue()["systems"].get(system_id)
    return Sheet.model_validate(entry) if entry else Sheet()


class SystemsService:
    """Reads the map and edits sheets; one per process."""

    def __init__(
        self, pool: Pool, settings: GovernanceSettings, policy: PolicySource, shadow: ShadowService
    ) -> None:
        self._pool = pool
        self._settings = settings
        self._policy = policy
        self._shadow = shadow

    async def _discover(self, language: Language) -> list[System]:
        loaded = await self._policy()
        policy, configured = loaded if loaded else (None, frozenset[str]())
        assistants = await inventory.assistants(self._pool, policy, language)
        reports = await self._shadow.reports()
        external: list[System] = []
        if reports:
            newest = reports[0]
            external = inventory.externals((await self._shadow.services_of(newest.id)), newest.name, language)
        return [
            *assistants,
            *inventory.workflows(policy, assistants, language),
            *await inventory.models(self._pool, policy, configured, language),
            *await inventory.tool_servers(self._pool, language),
            *await inventory.robots(self._pool, builtin_catalogue().get("robots_using_ai", {}), language),
            *await inventory.modules(self._pool, language),
            *external,
        ]

    async def map(self, language: Language = DEFAULT_LANGUAGE) -> SystemMap:
        """Every AI system with its sheet, risk level, last scores and flags; its last error in `language`."""
        systems = await self._discover(language)
        saved = await repository.sheets(self._pool)
        scores = await self._scores()
        alerted = {row["system_id"] for row in await drift_repository.alerts(self._pool, open_only=True)}
        measured = {found.system_id: found.counts for found in await self.quality()}
        for system in systems:
            system.quality = measured.get(system.id) if system.kind is SystemKind.ASSISTANT else None
            self._complete(system, saved.get(system.id), scores, alerted)
        last = await drift_repository.last_run(self._pool)
        return SystemMap(
            last_evaluation=LastEvaluation(
                status=last["status"],
                reason=last["reason"],
                error=_error(last, language),
                at=last["finished_at"] or last["started_at"],
            )
            if last
            else None,
            systems=systems,
            flagged=sum(bool(system.flags) for system in systems),
            by_kind=dict(Counter(system.kind.value for system in systems)),
            by_risk=dict(Counter(system.risk_level.value for system in systems)),
            questions=[
                RiskQuestion(
                    key=q.key,
                    text=MESSAGES.text(f"governance.question.{q.key}", language),
                    level_if_yes=q.level_if_yes,
                    reference=MESSAGES.text(f"governance.reference.{q.key}", language),
                )
                for q in QUESTIONS
            ],
        )

    async def quality(self) -> list[CollectionQuality]:
        """Data quality of every knowledge collection."""
        return await quality.measure(self._pool, self._settings.review_months)

    async def _scores(self) -> dict[str, list[tuple[str, str, float, Any]]]:
        found: dict[str, list[tuple[str, str, float, Any]]] = {}
        for row in await drift_repository.last_scores(self._pool):
            for scorer, value in sorted(row["scores"].items()):
                if value is not None:
                    found.setdefault(f"assistant:{row['assistant_id']}", []).append(
                        (row["suite"], scorer, float(value), row["finished_at"])
                    )
        return found

    def _complete(
        self,
        system: System,
        saved: dict[str, Any] | None,
        scores: dict[str, list[tuple[str, str, float, Any]]],
        alerted: set[str],
    ) -> None:
        sheet = Sheet.model_validate(saved) if saved else builtin_sheet(system.id)
        if system.kind is SystemKind.EXTERNAL and not saved:
            sheet = sheet.model_copy(update={"status": SystemStatus.IN_SERVICE})  # in use, like it or not
        system.sheet = sheet
        system.risk_level = risk_level(sheet.risk_answers)
        system.scores = [
            Score(suite=suite, scorer=scorer, value=value, floor=self.floor(sheet, scorer), at=at)
            for suite, scorer, value, at in scores.get(system.id, [])
        ]
        system.flags = _flags(system, system.id in alerted)

    def floor(self, sheet: Sheet, scorer: str) -> float:
        """A score's floor: the sheet's own, else the default."""
        return sheet.score_floors.get(scorer, self._settings.score_floor)

    async def system(self, system_id: str, language: Language = DEFAULT_LANGUAGE) -> SystemDetail:
        """One system with its history, told in `language`.

        Raises:
            NotFoundError: `system_not_found`.
        """
        found = next((s for s in (await self.map(language)).systems if s.id == system_id), None)
        if found is None:
            raise NotFoundError(MESSAGES("governance.system_not_found"), code="system_not_found")
        return SystemDetail(**found.model_dump(), history=await self._history(found, language))

    async def evaluations(
        self, system_id: str, language: Language = DEFAULT_LANGUAGE
    ) -> list[EvaluationPoint]:
        """The drift chart of a system: its evaluation runs, oldest first, with their floors.

        Raises:
            NotFoundError: `system_not_found`.
        """
        system = await self.system(system_id, language)
        if system.kind is not SystemKind.ASSISTANT:
            return []
        points = []
        for run in await drift_repository.runs(self._pool, system_id.split(":", 1)[1]):
            scores = {k: float(v) for k, v in run["scores"].items() if v is not None}
            points.append(
                EvaluationPoint(
                    run_id=run["id"],
                    suite=run["suite"],
                    split=run["split"],
                    reason=run["reason"],
                    change=run["change"],
                    status=run["status"],
                    cases=run["cases"],
                    scores=scores,
                    floors={k: self.floor(system.sheet, k) for k in scores},
                    error=_error(run, language),
                    at=run["finished_at"] or run["started_at"],
                )
            )
        return points

    async def alerts(self, open_only: bool) -> list[Alert]:
        """Score alerts, newest first."""
        return [
            Alert.model_validate(dict(row)) for row in await drift_repository.alerts(self._pool, open_only)
        ]

    async def my_alerts(self, user: User) -> list[Alert]:
        """The open alerts a person is to act on: those sent to them, every one for AI administrators."""
        admin = Role.AI_ADMIN in user.roles
        rows = await drift_repository.alerts(self._pool, True, None if admin else user.email)
        if not rows:
            return []
        names = {system.id: system.name for system in await self._discover(user.language)}
        return [
            Alert.model_validate({**row, "system_name": names.get(row["system_id"], row["system_id"])})
            for row in rows
        ]

    async def sheet_of(self, system_id: str) -> Sheet:
        """The sheet in force for a system (saved, else built-in, else empty)."""
        saved = (await repository.sheets(self._pool)).get(system_id)
        return Sheet.model_validate(saved) if saved else builtin_sheet(system_id)

    async def update(self, user: User, system_id: str, body: SheetIn) -> SystemDetail:
        """Change a system's sheet; the change is recorded with its author.

        Raises:
            NotFoundError: `system_not_found`.
            ApiError: `unknown_question`, `invalid_floor` (400).
        """
        current = await self.system(system_id)
        changes = body.model_dump(exclude_unset=True)
        if body.risk_answers is not None and not set(body.risk_answers) <= QUESTION_KEYS:
            unknown = ", ".join(sorted(set(body.risk_answers) - QUESTION_KEYS))
            raise ApiError(
                MESSAGES("governance.unknown_question", questions=unknown), code="unknown_question"
            )
        if body.score_floors is not None and any(not 0 <= v <= 1 for v in body.score_floors.values()):
            raise ApiError(MESSAGES("governance.invalid_floor"), code="invalid_floor")
        before = current.sheet.model_dump(mode="json", exclude={"updated_by", "updated_at"})
        after = {**before, **{k: _plain(v) for k, v in changes.items() if v is not None}}
        if after["owner"] != before["owner"] and changes.get("owner_email") is None:
            after["owner_email"] = ""  # a new owner without an address: the previous one's is not theirs
        diff = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
        if diff:
            await repository.save_sheet(self._pool, system_id, _columns(after), user.email, {"changes": diff})
        return await self.system(system_id, user.language)

    async def _history(self, system: System, language: Language) -> list[HistoryEntry]:
        entries = [
            HistoryEntry(
                at=row["at"],
                actor=row["actor"],
                kind=row["kind"],
                summary=_summary(row, language),
                detail={key: value for key, value in row["detail"].items() if key != "summary_text"},
            )
            for row in await repository.events(self._pool, system.id)
        ]
        name = system.id.split(":", 1)[1]
        if system.kind is SystemKind.ASSISTANT:
            entries += [
                HistoryEntry(
                    at=row["at"],
                    actor=row["actor"] or "Ariane",
                    kind="version",
                    summary=MESSAGES.text("governance.history.version", language, version=row["version"]),
                    detail={"version": row["version"]},
                )
                for row in await repository.assistant_versions(self._pool, name)
            ]
            for run in await drift_repository.runs(self._pool, name):
                entries.append(_evaluation_entry(run, language))
        if system.kind in (SystemKind.MODEL, SystemKind.WORKFLOW):
            entries += [
                HistoryEntry(
                    at=row["at"],
                    actor=row["actor"],
                    kind="policy",
                    summary=MESSAGES.text(
                        "governance.history.policy_comment"
                        if row["comment"]
                        else "governance.history.policy",
                        language,
                        version=row["version"],
                        comment=row["comment"],
                    ),
                    detail={"version": row["version"]},
                )
                for row in await repository.policy_versions(self._pool)
            ]
        entries.sort(key=lambda entry: entry.at, reverse=True)
        return entries


def _evaluation_entry(run: dict[str, Any], language: Language) -> HistoryEntry:
    scores = ", ".join(f"{k} {v:.2f}" for k, v in sorted(run["scores"].items()) if v is not None)
    outcome = scores if run["status"] == "done" else run["status"]
    summary = MESSAGES.text(
        "governance.history.evaluation", language, suite=run["suite"], reason=run["reason"], outcome=outcome
    )
    return HistoryEntry(
        at=run["finished_at"] or run["started_at"],
        actor="ariane",
        kind="evaluation",
        summary=summary,
        detail={"run_id": run["id"], "change": run["change"]},
    )


def _summary(row: dict[str, Any], language: Language) -> str:
    detail = row["detail"]
    if row["kind"] == "sheet":
        fields = ", ".join(sorted(detail.get("changes", {})))
        return MESSAGES.text("governance.history.sheet", language, fields=fields)
    if "summary" in detail:  # an alert's, stored in French and, since 0035, by id
        return MESSAGES.shown(str(detail["summary"]), detail.get("summary_text"), language)
    return MESSAGES.text("governance.history.alert", language) if row["kind"] == "alert" else str(row["kind"])


def _error(run: dict[str, Any], language: Language) -> str | None:
    """Why an evaluation run failed, in `language` (the program's own words as they are)."""
    return MESSAGES.shown(run["error"], run["error_text"], language) if run["error"] else None


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value.value if isinstance(value, SystemStatus) else value


def _columns(sheet: dict[str, Any]) -> dict[str, Any]:
    values = dict(sheet)
    values["validated_on"] = (
        date.fromisoformat(values["validated_on"]) if values.get("validated_on") else None
    )
    return values


def _flags(system: System, alerted: bool) -> list[Flag]:
    sheet = system.sheet
    flags = []
    if sheet.status is SystemStatus.IN_SERVICE:
        if not sheet.owner.strip():
            flags.append(Flag.NO_OWNER)
        if not sheet.validated_by.strip() or sheet.validated_on is None:
            flags.append(Flag.NO_VALIDATION)
    if system.kind is SystemKind.EXTERNAL and sheet.status is SystemStatus.IN_SERVICE:
        flags.append(Flag.UNSANCTIONED)
    if (
        sheet.status in (SystemStatus.IN_SERVICE, SystemStatus.DRAFT)
        and system.risk_level is RiskLevel.UNASSESSED
    ):
        flags.append(Flag.RISK_UNASSESSED)
    if system.risk_level in (RiskLevel.HIGH, RiskLevel.UNACCEPTABLE) and not sheet.ethics_review.strip():
        flags.append(Flag.HIGH_RISK_NO_ETHICS)
    if alerted:
        flags.append(Flag.SCORE_ALERT)
    if system.quality is not None and quality.needs_attention(system.quality):
        flags.append(Flag.KNOWLEDGE_QUALITY)
    return flags
