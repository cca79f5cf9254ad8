"""Shadow AI: proxy logs read as they arrive, matched with the catalogue, joined with the directory.

Pseudonymisation: a report stores counts per person *number*; who a number is sits in
`shadow_people`, read only for the security role. Everyone else gets counts, with the groups of
fewer than `min_group` people folded into « Autres », so that a count never points at one person.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterable, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from server.auth.roles import Role
from server.auth.schemas import User
from server.errors import ApiError, NotFoundError
from server.governance.shadow import repository
from server.governance.shadow.catalogue import (
    CatalogueError,
    HostMatcher,
    ShadowCatalogue,
    default_document,
    parse_catalogue,
)
from server.governance.shadow.parsing import PARIS, LogFormat, LogFormatError, Tally, read_log
from server.governance.shadow.schemas import (
    CatalogueOut,
    CrossUse,
    GroupUse,
    PersonUse,
    ServiceUse,
    ShadowReport,
    ShadowReportSummary,
    WeekUse,
)
from server.messages import MESSAGES
from tools.database import Pool, is_uuid
from tools.i18n import Text, joined
from tools.m365.directory import DirectoryPerson

UNKNOWN_SERVICE = "Hors annuaire"
UNKNOWN_CATEGORY = "Inconnue"
WORKSTATION = "Poste non authentifié"
OTHERS = "Autres (moins de {n} personnes)"
PeopleSource = Callable[[], Awaitable[list[DirectoryPerson]]]


class InvalidCatalogueError(ApiError):
    """A proposed catalogue that does not validate (nothing saved)."""

    code = "invalid_catalogue"

    def __init__(self, errors: list[Text]) -> None:
        separator = MESSAGES("governance.catalogue.separator")
        super().__init__(MESSAGES("governance.invalid_catalogue", errors=joined(errors[:5], separator)))
        self.errors = errors


class UploadTooLargeError(ApiError):
    """The log is larger than the configured bound."""

    status_code = 413
    code = "log_too_large"


@dataclass(frozen=True)
class _Known:
    display_name: str
    service: str
    job_category: str


def people_index(people: list[DirectoryPerson]) -> dict[str, _Known]:
    """Directory entries by every name a proxy may log: account, mail, principal name, mail's local part."""
    index: dict[str, _Known] = {}
    for person in people:
        known = _Known(person.display_name, person.department, person.job_category)
        for key in (person.account_name, person.mail, person.principal_name, person.mail.split("@")[0]):
            if key and key not in index:
                index[key] = known
    return index


class ShadowService:
    """Catalogue, imports and reports; one per process."""

    def __init__(self, pool: Pool, min_group: int, max_upload_bytes: int) -> None:
        self._pool = pool
        self.min_group = min_group
        self.max_upload_bytes = max_upload_bytes

    async def catalogue(self) -> tuple[int, ShadowCatalogue, CatalogueOut]:
        """The catalogue in force: the newest saved version, else the shipped file (version 0)."""
        row = await repository.latest_catalogue(self._pool)
        version, document, author = (
            (int(row["version"]), str(row["document"]), str(row["author"]))
            if row
            else (0, default_document(), None)
        )
        parsed = parse_catalogue(document)
        return (
            version,
            parsed,
            _catalogue_out(version, document, author, parsed),
        )

    async def save_catalogue(self, user: User, document: str, comment: str) -> CatalogueOut:
        """Validate and store a new version of the catalogue.

        Raises:
            InvalidCatalogueError: the document does not validate (400, nothing saved).
        """
        try:
            parsed = parse_catalogue(document)
        except CatalogueError as exc:
            raise InvalidCatalogueError(exc.errors) from exc
        version = await repository.save_catalogue(self._pool, document, user.email, comment.strip())
        return _catalogue_out(version, document, user.email, parsed)

    async def import_log(
        self,
        chunks: AsyncIterable[bytes],
        *,
        name: str,
        log_format: LogFormat | None,
        uploaded_by: str,
        directory: PeopleSource,
        sample: bool = False,
    ) -> ShadowReportSummary:
        """Read a log as it arrives and store its report.

        Raises:
            ApiError: `invalid_log` (400) when the format cannot be recognised or the log is empty.
            UploadTooLargeError: over the bound (413); nothing is stored.
            M365Error: the directory cannot be read (the caller maps it).
        """
        version, catalogue, _ = await self.catalogue()
        try:
            found, tally = await read_log(self._bounded(chunks), HostMatcher(catalogue), log_format)
        except LogFormatError as exc:
            raise ApiError(exc.text, code="invalid_log") from exc
        index = people_index(await directory())
        numbers, people = _people(tally, index)
        first, last = tally.first, tally.last
        report = {
            "name": name.strip(),
            "source_format": found.value,
            "uploaded_by": uploaded_by,
            "sample": sample,
            "catalogue_version": version,
            "lines": tally.lines,
            "ai_lines": tally.ai_lines,
            "malformed": tally.malformed,
            "examples": tally.examples,
            "first_at": datetime.fromtimestamp(first, UTC) if first is not None else None,
            "last_at": datetime.fromtimestamp(last, UTC) if last is not None else None,
        }
        report_id = await repository.store_report(self._pool, report, people, _counts(tally, numbers))
        return await self.summary(report_id)

    async def _bounded(self, chunks: AsyncIterable[bytes]) -> AsyncIterable[bytes]:
        received = 0
        async for chunk in chunks:
            received += len(chunk)
            if received > self.max_upload_bytes:
                raise UploadTooLargeError(
                    MESSAGES("governance.log_too_large", limit=self.max_upload_bytes // 1024**2)
                )
            yield chunk

    async def reports(self) -> list[ShadowReportSummary]:
        """Every report, newest first."""
        return [_summary(row) for row in await repository.list_reports(self._pool)]

    async def summary(self, report_id: str) -> ShadowReportSummary:
        """One report's summary.

        Raises:
            NotFoundError: `report_not_found`.
        """
        row = await repository.get_report(self._pool, report_id) if is_uuid(report_id) else None
        if row is None:
            raise NotFoundError(MESSAGES("governance.report_not_found"), code="report_not_found")
        return _summary(row)

    async def delete(self, report_id: str) -> None:
        """Remove a report.

        Raises:
            NotFoundError: `report_not_found`.
        """
        if not is_uuid(report_id) or not await repository.delete_report(self._pool, report_id):
            raise NotFoundError(MESSAGES("governance.report_not_found"), code="report_not_found")

    async def report(self, user: User, report_id: str) -> ShadowReport:
        """The breakdowns of a report; people by name only for the security role.

        Raises:
            NotFoundError: `report_not_found`.
        """
        summary = await self.summary(report_id)
        _, catalogue, _ = await self.catalogue()
        rows = {
            name: await repository.breakdown(self._pool, report_id, name)
            for name in ("services", "by_service", "by_job_category", "by_category_and_service", "weekly")
        }
        names = user.has_any(Role.SECURITY)
        people = None
        if names:
            people = [PersonUse.model_validate(row) for row in await repository.people(self._pool, report_id)]
        return ShadowReport(
            summary=summary,
            services=[_service_use(row, catalogue) for row in rows["services"]],
            by_service=self._groups(rows["by_service"], "service", names),
            by_job_category=self._groups(rows["by_job_category"], "job_category", names),
            by_category_and_service=self._cross(rows["by_category_and_service"], names),
            weekly=[WeekUse.model_validate(row) for row in rows["weekly"]],
            names_visible=names,
            min_group=self.min_group,
            people=people,
        )

    async def services_of(self, report_id: str) -> list[ServiceUse]:
        """Use of each AI service in a report (no person in it)."""
        _, catalogue, _ = await self.catalogue()
        rows = await repository.breakdown(self._pool, report_id, "services")
        return [_service_use(row, catalogue) for row in rows]

    def _groups(self, rows: list[dict[str, Any]], column: str, names: bool) -> list[GroupUse]:
        groups = [
            GroupUse(label=_label(row[column], column), requests=row["requests"], people=row["people"])
            for row in rows
        ]
        if names:
            return groups
        kept = [group for group in groups if group.people >= self.min_group]
        small = [group for group in groups if group.people < self.min_group]
        if small:
            kept.append(
                GroupUse(
                    label=OTHERS.format(n=self.min_group),
                    requests=sum(group.requests for group in small),
                    people=sum(group.people for group in small),
                )
            )
        return kept

    def _cross(self, rows: list[dict[str, Any]], names: bool) -> list[CrossUse]:
        cells = [
            CrossUse(
                job_category=_label(row["job_category"], "job_category"),
                ai_service=row["ai_service"],
                requests=row["requests"],
                people=row["people"],
            )
            for row in rows
        ]
        if names:
            return cells
        folded: dict[str, CrossUse] = {}
        kept = []
        for cell in cells:
            if cell.people >= self.min_group:
                kept.append(cell)
                continue
            other = folded.setdefault(
                cell.ai_service,
                CrossUse(
                    job_category=OTHERS.format(n=self.min_group),
                    ai_service=cell.ai_service,
                    requests=0,
                    people=0,
                ),
            )
            folded[cell.ai_service] = other.model_copy(
                update={"requests": other.requests + cell.requests, "people": other.people + cell.people}
            )
        return kept + list(folded.values())

    async def export_csv(self, user: User, report_id: str) -> str:
        """The report as CSV (semicolons, as French spreadsheets expect).

        Per week, AI service, service and job category; per person too for the security role, small
        groups folded for everyone else.

        Raises:
            NotFoundError: `report_not_found`.
        """
        await self.summary(report_id)
        names = user.has_any(Role.SECURITY)
        rows = await repository.weekly_rows(self._pool, report_id, names)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        header = ["semaine", "service_ia", "service", "categorie_professionnelle"]
        if names:
            header += ["personne", "identifiant"]
        writer.writerow([*header, "requetes", "personnes", "octets"])
        for row in self._export_rows(rows, names):
            writer.writerow(row)
        return out.getvalue()

    def _export_rows(self, rows: list[dict[str, Any]], names: bool) -> Iterator[list[object]]:
        folded: dict[tuple[date, str], list[int]] = {}
        for row in rows:
            service = _label(row["service"], "service")
            category = _label(row["job_category"], "job_category")
            if names:
                who = [row["display_name"] or "", row["login"]]
                yield [row["week"].isoformat(), row["ai_service"], service, category, *who,
                       row["requests"], row["people"], row["bytes"]]  # fmt: skip
            elif row["people"] >= self.min_group:
                yield [row["week"].isoformat(), row["ai_service"], service, category, row["requests"],
                       row["people"], row["bytes"]]  # fmt: skip
            else:
                entry = folded.setdefault((row["week"], row["ai_service"]), [0, 0, 0])
                entry[0] += row["requests"]
                entry[1] += row["people"]
                entry[2] += row["bytes"]
        for (week, ai_service), (requests, people, size) in sorted(folded.items()):
            others = OTHERS.format(n=self.min_group)
            yield [week.isoformat(), ai_service, others, others, requests, people, size]


def _label(value: str, column: str) -> str:
    if value:
        return value
    return UNKNOWN_SERVICE if column == "service" else UNKNOWN_CATEGORY


def _people(
    tally: Tally, index: dict[str, _Known]
) -> tuple[dict[str, int], list[tuple[int, str, str, str, str]]]:
    """A number for each person seen (in login order, stable), and the rows of `shadow_people`."""
    logins = sorted({who for (_, _, who) in tally.counts})
    numbers = {login: number for number, login in enumerate(logins, start=1)}
    rows = []
    for login, number in numbers.items():
        known = index.get(login) or (index.get(login.split("@")[0]) if "@" in login else None)
        if known is not None:
            rows.append((number, login, known.display_name, known.service, known.job_category))
        elif login.startswith("ip:") or not login:
            rows.append((number, login, "", WORKSTATION, WORKSTATION))
        else:
            rows.append((number, login, "", "", ""))
    return numbers, rows


def _counts(tally: Tally, numbers: dict[str, int]) -> Iterator[tuple[int, date, str, int, int]]:
    for (day, service, who), (requests, size) in tally.counts.items():
        yield (numbers[who], date.fromordinal(day), service, requests, size)


def _catalogue_out(version: int, document: str, author: str | None, parsed: ShadowCatalogue) -> CatalogueOut:
    found = parsed.services
    return CatalogueOut(version=version, document=document, author=author, services=len(found), entries=found)


def _service_use(row: dict[str, Any], catalogue: ShadowCatalogue) -> ServiceUse:
    service = catalogue.service(row["ai_service"])
    return ServiceUse(
        ai_service=row["ai_service"],
        name=service.name if service else row["ai_service"],
        provider=service.provider if service else "",
        kind=service.kind.value if service else "autre",
        country=service.country if service else "",
        requests=row["requests"],
        people=row["people"],
        bytes=row["bytes"],
    )


def _summary(row: dict[str, Any]) -> ShadowReportSummary:
    first, last = row["first_at"], row["last_at"]
    return ShadowReportSummary(
        id=row["id"],
        name=row["name"],
        source_format=row["source_format"],
        uploaded_by=row["uploaded_by"],
        sample=row["sample"],
        catalogue_version=row["catalogue_version"],
        lines=row["lines"],
        ai_lines=row["ai_lines"],
        malformed=row["malformed"],
        malformed_examples=row["malformed_examples"],
        first_day=_local_day(first),
        last_day=_local_day(last),
        people=row["people"],
        unknown_people=row["unknown_people"],
        created_at=row["created_at"],
    )


def _local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(PARIS).date() if moment is not None else None
