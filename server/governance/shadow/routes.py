"""`/api/governance/shadow/...`: proxy-log reports of public AI use, and the catalogue of AI services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as FastPath
from fastapi.responses import PlainTextResponse

from server.auth.roles import Role
from server.auth.schemas import User
from server.deps import require_roles
from server.errors import ServiceUnavailableError
from server.governance.shadow.parsing import LogFormat
from server.governance.shadow.schemas import (
    CatalogueIn,
    CatalogueOut,
    FormatChoice,
    ServiceIn,
    ShadowReport,
    ShadowReportSummary,
)
from server.governance.shadow.service import PeopleSource, ShadowService
from server.messages import MESSAGES
from tools.m365.errors import M365Error

router = APIRouter(prefix="/api/governance/shadow", tags=["governance"])
# Read as a stream by the route (bounded by `shadow_max_upload_bytes`): the edge does not hold it.
SHADOW_UPLOAD_PATH = "/api/governance/shadow/reports"

READERS = (Role.AI_ADMIN, Role.SECURITY, Role.AUDITOR, Role.DIRECTION)
Reader = Annotated[User, Depends(require_roles(*READERS))]
Manager = Annotated[User, Depends(require_roles(Role.AI_ADMIN, Role.SECURITY))]


def _service(request: Request) -> ShadowService:
    service: ShadowService = request.app.state.governance.shadow
    return service


Shadow = Annotated[ShadowService, Depends(_service)]

_LOG_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The log itself (Squid `access.log` or CSV export), sent as the request body.",
        "content": {
            "text/plain": {"schema": {"type": "string", "format": "binary"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _directory(request: Request, user: User) -> PeopleSource:
    async def read() -> Any:
        from tools.m365.directory import list_people

        try:
            return await list_people(request.app.state.governance.graph, user.token)
        except M365Error as exc:
            raise ServiceUnavailableError(
                MESSAGES("governance.directory_unavailable"),
                code="directory_unavailable",
            ) from exc

    return read


@router.post("/reports", status_code=201, openapi_extra=_LOG_BODY)
async def upload_report(
    request: Request,
    user: Manager,
    shadow: Shadow,
    name: Annotated[str, Query(min_length=1, max_length=200, description="Name of the report.")],
    log_format: Annotated[FormatChoice, Query(alias="format")] = FormatChoice.AUTO,
) -> ShadowReportSummary:
    """Upload a proxy log (read as it arrives): 201 with the report once stored.

    A malformed line is counted and skipped; the log's content is never stored, only counts.
    """
    chosen = None if log_format is FormatChoice.AUTO else LogFormat(log_format.value)
    return await shadow.import_log(
        request.stream(),
        name=name,
        log_format=chosen,
        uploaded_by=user.email,
        directory=_directory(request, user),
    )


@router.get("/reports")
async def list_reports(_: Reader, shadow: Shadow) -> list[ShadowReportSummary]:
    """Every report, newest first."""
    return await shadow.reports()


@router.get("/reports/{report_id}")
async def get_report(report_id: str, user: Reader, shadow: Shadow) -> ShadowReport:
    """A report's breakdowns; people by name only for the security role."""
    return await shadow.report(user, report_id)


@router.get("/reports/{report_id}/export", response_class=PlainTextResponse)
async def export_report(report_id: str, user: Reader, shadow: Shadow) -> Response:
    """The report as CSV (per week, AI service, service, job category; per person for security)."""
    text = await shadow.export_csv(user, report_id)
    return Response(
        content="\ufeff" + text,  # a BOM: spreadsheets then read the accents right
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ia-fantome-{report_id[:8]}.csv"'},
    )


@router.delete("/reports/{report_id}", status_code=204)
async def delete_report(report_id: str, _: Manager, shadow: Shadow) -> Response:
    """Remove a report and its counts."""
    await shadow.delete(report_id)
    return Response(status_code=204)


@router.get("/catalogue")
async def get_catalogue(_: Reader, shadow: Shadow) -> CatalogueOut:
    """The catalogue of generative-AI services in force."""
    return (await shadow.catalogue())[2]


@router.put("/catalogue")
async def put_catalogue(body: CatalogueIn, user: Manager, shadow: Shadow) -> CatalogueOut:
    """Save a new version of the catalogue (validated first; used by the next reports)."""
    return await shadow.save_catalogue(user, body.document, body.comment)


ServiceId = Annotated[str, FastPath(min_length=1, max_length=63, description="The service's id.")]


@router.put("/catalogue/services/{service_id}")
async def put_service(service_id: ServiceId, body: ServiceIn, user: Manager, shadow: Shadow) -> CatalogueOut:
    """Add a service to the catalogue, or change it: a new version (`invalid_catalogue` 400, in French)."""
    from server.governance.shadow.editing import save_service

    return await save_service(shadow, user, service_id, body)


@router.delete("/catalogue/services/{service_id}")
async def delete_service(service_id: ServiceId, user: Manager, shadow: Shadow) -> CatalogueOut:
    """Remove a service from the catalogue: a new version (`service_not_found` 404)."""
    from server.governance.shadow.editing import remove_service

    return await remove_service(shadow, user, service_id)
