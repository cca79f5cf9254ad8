"""Shapes of the shadow-AI API."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from server.governance.shadow.catalogue import AiService


class FormatChoice(StrEnum):
    """The log's format: recognised from its first line, or said."""

    AUTO = "auto"
    SQUID = "squid"
    CSV = "csv"


class MalformedLine(BaseModel):
    """A line that could not be read: its number and why (its content is not kept: it names people)."""

    line: int
    reason: str


class ShadowReportSummary(BaseModel):
    """A report as listed: what was read and when."""

    id: str
    name: str
    source_format: str
    uploaded_by: str
    sample: bool
    catalogue_version: int
    lines: int
    ai_lines: int
    malformed: int
    malformed_examples: list[MalformedLine]
    first_day: date | None
    last_day: date | None
    people: int = Field(description="Distinct people (or unauthenticated workstations) reaching AI services.")
    unknown_people: int = Field(description="Of those, accounts the directory does not know.")
    created_at: datetime


class ServiceUse(BaseModel):
    """Use of one AI service."""

    ai_service: str
    name: str
    provider: str
    kind: str
    country: str
    requests: int
    people: int
    bytes: int


class GroupUse(BaseModel):
    """Use by one service of the hospital or one job category (small groups folded into « Autres »)."""

    label: str
    requests: int
    people: int


class CrossUse(BaseModel):
    """Use of one AI service by one job category."""

    job_category: str
    ai_service: str
    requests: int
    people: int


class WeekUse(BaseModel):
    """Use of one AI service during one week (Monday's date)."""

    week: date
    ai_service: str
    requests: int
    people: int


class PersonUse(BaseModel):
    """One person's use: only the security role sees these."""

    person: int
    login: str
    display_name: str
    service: str
    job_category: str
    requests: int
    bytes: int
    ai_services: list[str]


class ShadowReport(BaseModel):
    """`GET /api/governance/shadow/reports/{id}`: the breakdowns; names only for the security role."""

    summary: ShadowReportSummary
    services: list[ServiceUse]
    by_service: list[GroupUse]
    by_job_category: list[GroupUse]
    by_category_and_service: list[CrossUse]
    weekly: list[WeekUse]
    names_visible: bool
    min_group: int
    people: list[PersonUse] | None = None


class CatalogueOut(BaseModel):
    """The catalogue of AI services in force (version 0: the shipped file)."""

    version: int
    document: str
    author: str | None
    services: int
    entries: list[AiService] = Field(default_factory=list, description="Its services, as the editor lists.")


class ServiceIn(BaseModel):
    """A service of the catalogue as the editor saves it (checked with the whole catalogue, in French)."""

    name: str = Field(max_length=200)
    provider: str = Field(max_length=200)
    kind: str = Field(max_length=60, description="One of the kinds of `ServiceKind`.")
    country: str = Field(max_length=10, description="ISO 3166 code of the provider's country.")
    domains: list[str] = Field(max_length=100, description="Host names: each and its sub-domains match.")
    comment: str = Field("", max_length=500)


class CatalogueIn(BaseModel):
    """A new version of the catalogue."""

    # Well under the request body bound (1 Mio) even escaped: a catalogue of a thousand services fits.
    document: str = Field(min_length=1, max_length=50_000)
    comment: str = Field("", max_length=500)
