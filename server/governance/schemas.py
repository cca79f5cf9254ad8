"""Shapes of the governance API: the map of AI systems and each system's sheet."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, StrictBool, StrictFloat

from server.governance.risk import QUESTIONS, RiskLevel


class SystemKind(StrEnum):
    """What kind of AI system an entry of the map is."""

    ASSISTANT = "assistant"
    WORKFLOW = "workflow"
    MODEL = "model"
    TOOL = "tool"
    ROBOT = "robot"
    INTAKE = "intake"
    BATCH = "batch"
    EXTERNAL = "external"


class SystemStatus(StrEnum):
    """Where a system is in its life."""

    DRAFT = "draft"
    IN_SERVICE = "in_service"
    SUSPENDED = "suspended"
    RETIRED = "retired"


class Flag(StrEnum):
    """What needs attention on a system."""

    NO_OWNER = "no_owner"
    NO_VALIDATION = "no_validation"
    RISK_UNASSESSED = "risk_unassessed"
    HIGH_RISK_NO_ETHICS = "high_risk_without_ethics_review"
    SCORE_ALERT = "score_alert"
    UNSANCTIONED = "unsanctioned_external_service"
    KNOWLEDGE_QUALITY = "knowledge_quality"


class Usage(BaseModel):
    """Use over the last 90 days (chat runs, gateway requests, or proxy-log requests)."""

    requests: int = 0
    people: int = 0
    by_service: dict[str, int] = Field(default_factory=dict)
    by_job_category: dict[str, int] = Field(default_factory=dict)


class Score(BaseModel):
    """The last result of one evaluation score of a system."""

    suite: str
    scorer: str
    value: float
    floor: float
    at: datetime


class Sheet(BaseModel):
    """What people declare of a system (the built-in catalogue's values until someone saves)."""

    owner: str = ""
    owner_email: str = Field("", description="Where the owner's drift alerts are mailed ('' when unknown).")
    purpose: str = ""
    audience: str = ""
    risk_answers: dict[str, bool] = Field(default_factory=dict)
    validated_by: str = ""
    validated_on: date | None = None
    ethics_review: str = ""
    status: SystemStatus = SystemStatus.DRAFT
    notes: str = ""
    score_floors: dict[str, float] = Field(default_factory=dict)
    updated_by: str = ""
    updated_at: datetime | None = None


def _date_as_text(value: object) -> object:
    """A date as ISO text only: lax parsing took the number 0 for 1970-01-01."""
    if value is not None and not isinstance(value, str | date):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


# The schema states it, so that a client (and the contract pass) can tell a valid address.
_MAIL = r"^([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)?$"


def _lower(value: str | None) -> str | None:
    return value.lower() if value is not None else None


class SheetIn(BaseModel):
    """Fields to change on a sheet (those absent stay as they are)."""

    owner: str | None = Field(None, max_length=200)
    owner_email: Annotated[str | None, AfterValidator(_lower)] = Field(
        None, max_length=254, pattern=_MAIL, description="The owner's mail address ('' to forget it)."
    )
    purpose: str | None = Field(None, max_length=2000)
    audience: str | None = Field(None, max_length=500)
    risk_answers: dict[str, StrictBool] | None = Field(
        None,
        description="Answers to the risk questionnaire, by question key (`unknown_question` otherwise).",
        json_schema_extra={"propertyNames": {"enum": [question.key for question in QUESTIONS]}},
    )
    validated_by: str | None = Field(None, max_length=200)
    validated_on: Annotated[date | None, BeforeValidator(_date_as_text)] = None
    ethics_review: str | None = Field(None, max_length=500)
    status: SystemStatus | None = None
    notes: str | None = Field(None, max_length=4000)
    score_floors: dict[str, StrictFloat] | None = Field(
        None,
        description="Floor of each score, between 0 and 1 (`invalid_floor` otherwise).",
        json_schema_extra={"additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
    )


class QualityCounts(BaseModel):
    """Data quality of an assistant's knowledge collection, in counts (details: `GET /quality`)."""

    documents: int
    review_due: int = Field(description="Documents past their review date.")
    duplicates: int = Field(description="Extra copies of a document (same file or same text).")
    without_text: int = Field(description="Documents with pages that gave no text (scans).")
    unreached: int = Field(description="Documents no answer has ever cited.")


class System(BaseModel):
    """One entry of the map: what Ariane knows (facts), what people declared (sheet), and the flags."""

    id: str
    kind: SystemKind
    name: str
    description: str = ""
    source: str = Field(description="Where Ariane knows it from.")
    data_classes: list[str] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list)
    tools: list[str] = Field(default_factory=list)
    hosting: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    facts: dict[str, Any] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    sheet: Sheet = Field(default_factory=Sheet)
    risk_level: RiskLevel = RiskLevel.UNASSESSED
    scores: list[Score] = Field(default_factory=list)
    quality: QualityCounts | None = Field(None, description="Of its knowledge collection, if it has one.")
    flags: list[Flag] = Field(default_factory=list)


class HistoryEntry(BaseModel):
    """Something that happened to a system, from governance's record or Ariane's own versions."""

    at: datetime
    actor: str
    kind: str
    summary: str
    detail: dict[str, Any] = Field(default_factory=dict)


class SystemDetail(System):
    """A system's sheet page: the entry, its history and its evaluation history."""

    history: list[HistoryEntry] = Field(default_factory=list)


class RiskQuestion(BaseModel):
    """One question of the risk questionnaire."""

    key: str
    text: str
    level_if_yes: RiskLevel
    reference: str


class LastEvaluation(BaseModel):
    """When the suites last ran and how it went (a run that could not be made says why)."""

    status: str
    reason: str
    error: str | None
    at: datetime


class SystemMap(BaseModel):
    """`GET /api/governance/systems`: every AI system, and counts of what needs attention."""

    systems: list[System]
    flagged: int
    by_kind: dict[str, int]
    by_risk: dict[str, int]
    questions: list[RiskQuestion]
    last_evaluation: LastEvaluation | None = Field(None, description="The newest evaluation run, if any.")


class EvaluationPoint(BaseModel):
    """One evaluation run of a system: a point of its drift chart, with what changed before it."""

    run_id: str
    suite: str
    split: str
    reason: str = Field(description="initial, scheduled, policy, assistant, knowledge or requested.")
    change: dict[str, Any]
    status: str
    cases: int
    scores: dict[str, float]
    floors: dict[str, float]
    error: str | None
    at: datetime


class Alert(BaseModel):
    """A score below its floor or dropped by more than the margin: one per system, suite and score."""

    id: str
    system_id: str
    suite: str
    scorer: str
    kind: str
    value: float
    previous: float | None
    floor: float
    opened_at: datetime
    closed_at: datetime | None
    mailed: bool = Field(False, description="Its mail went out to its recipients.")
    system_name: str = Field("", description="The system's name (in Activité).")


class EvaluationRequest(BaseModel):
    """`POST /api/governance/evaluations`: the evaluation run queued."""

    work_item: str


class QualityIssue(StrEnum):
    """What is wrong with a knowledge document."""

    REVIEW_DUE = "review_due"
    DUPLICATE = "duplicate"
    WITHOUT_TEXT = "without_text"
    UNREACHED = "unreached"


class QualityDocument(BaseModel):
    """A knowledge document with an issue, and what the issue is about."""

    id: str
    title: str
    issue: QualityIssue
    detail: str = Field(
        "",
        description="review_due: the review date; duplicate: the title of the document it repeats; "
        "without_text: « pages sans texte / pages ».",
    )


class CollectionQuality(BaseModel):
    """`GET /api/governance/quality`: one knowledge collection's data quality."""

    collection: str
    system_id: str = Field(description="The map's system of the assistant the collection belongs to.")
    counts: QualityCounts
    issues: list[QualityDocument]
