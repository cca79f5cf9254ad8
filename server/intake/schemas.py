"""Shapes of the intake API and of what each step stores."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel
from pydantic import Field as PydanticField

from server.contract import IsoDateTime

DocumentType = Literal["biologie", "hospitalisation", "consultation", "imagerie", "autre"]
Source = Literal["upload", "folder", "api"]
FIELD_NAMES = ("type", "nom", "prenom", "date_naissance", "ipp", "date", "auteur")


class Status(StrEnum):
    """Where a document is in the flow; each step starts from the status the previous one stored."""

    RECEIVED = "received"
    READ = "read"
    STRUCTURED = "structured"
    MATCHED = "matched"
    TO_VALIDATE = "to_validate"
    INTEGRATING = "integrating"
    INTEGRATED = "integrated"
    REJECTED = "rejected"
    FAILED = "failed"


# Statuses a worker moves on by itself (the others wait for a person, or are final).
RUNNABLE = (Status.RECEIVED, Status.READ, Status.STRUCTURED, Status.MATCHED, Status.INTEGRATING)


class Field(BaseModel):
    """An extracted value and how sure the reader is of it (0–1); `corrected` when a person set it."""

    value: str
    confidence: float = PydanticField(ge=0, le=1)
    corrected: bool = False


class Stay(BaseModel):
    """A stay (or visit) of the DPI."""

    nda: str
    kind: str
    unit: str
    unit_name: str
    start: str
    end: str


class Candidate(BaseModel):
    """A patient the document may be about, with the stays that fit its dates."""

    ipp: str
    nom: str
    prenom: str
    nom_naissance: str | None = None
    date_naissance: str
    confidence: float
    reasons: list[str]
    stays: list[Stay]
    stay_confidence: dict[str, float] = PydanticField(default_factory=dict)


class Match(BaseModel):
    """The matching's outcome: candidates best first, the chosen patient and stay, and why."""

    candidates: list[Candidate]
    ipp: str | None = None
    nda: str | None = None
    confidence: float = 0.0
    exception: str | None = None  # unknown_patient, several_patients, no_stay, several_stays, …
    detail: str = ""


class DocumentSummary(BaseModel):
    """A document in the queue or the history."""

    id: str
    file_name: str
    media_type: str
    size_bytes: int
    digest: str
    source: Source
    status: Status
    route: Literal["straight_through", "validation"] | None
    confidence: float | None
    document_type: str | None
    patient: str | None
    exception: str | None
    error: str | None
    page_count: int | None
    created_at: datetime
    updated_at: datetime


class DocumentDetail(DocumentSummary):
    """One document with its fields, its matching, its integration and its history."""

    fields: dict[str, Field]
    match: Match | None
    threshold: float
    dpi_document_id: str | None
    integrated_at: datetime | None
    events: list[Event]
    history_intact: bool = PydanticField(
        description="The history's hash chain checks out (no event altered, removed or slipped in)."
    )


class Event(BaseModel):
    """One line of a document's history (who did what, when)."""

    at: datetime
    kind: str
    actor: str | None
    detail: dict[str, object]


class ImportResult(BaseModel):
    """A file taken in: the document (the existing one when the same file came before)."""

    document: DocumentSummary
    duplicate: bool


class Decision(BaseModel):
    """A secretary's decision on a document waiting for validation."""

    action: Literal["accept", "reject"]
    ipp: str | None = None
    nda: str | None = None
    fields: dict[str, str] = PydanticField(default_factory=dict, description="Corrected field values.")
    reason: str | None = PydanticField(None, max_length=500)


class PatientQuery(BaseModel):
    """A secretary's search of the DPI: an IPP, a last name, a birth date (any of them)."""

    ipp: str | None = PydanticField(None, max_length=20)
    nom: str | None = PydanticField(None, max_length=120)
    date_naissance: str | None = PydanticField(None, pattern=r"^\d{4}-\d{2}-\d{2}$")


class Threshold(BaseModel):
    """The confidence above which a document is integrated without a person (0–1)."""

    threshold: float = PydanticField(ge=0.5, le=1.0)
    set_by: str | None = None
    set_at: IsoDateTime | None = None


DocumentDetail.model_rebuild()
