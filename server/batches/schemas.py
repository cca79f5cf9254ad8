"""Shapes of `/api/batches`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from server.gateway.policy import DataClass

BatchStatus = Literal["draft", "running", "paused", "cancelled", "completed", "failed"]
RowStatus = Literal["pending", "sending", "done", "failed", "refused", "cancelled"]
Review = Literal["pending", "accepted", "edited", "rejected"]
Mode = Literal["model", "merge"]


class ColumnOut(BaseModel):
    """A column: its header as written, and the key a template names it by."""

    name: str
    key: str


class Progress(BaseModel):
    """Where the batch stands."""

    total: int
    done: int = Field(description="Rows ended, whatever their outcome (done, refused, failed, cancelled).")
    succeeded: int
    refused: int
    failed: int
    cancelled: int
    pending: int
    sending: int
    accepted: int
    edited: int
    rejected: int
    to_review: int
    rate_per_minute: float = Field(description="Rows ended in the last minute.")
    eta_seconds: float | None = Field(description="Time left at the current rate (None: unknown).")


class Batch(BaseModel):
    """A batch of letters."""

    id: str
    title: str
    filename: str
    source: Literal["upload", "sharepoint"]
    columns: list[ColumnOut]
    data_class: DataClass
    detected_class: DataClass
    mode: Mode
    model: str | None
    temperature: float
    max_tokens: int
    instruction: str
    body: str
    review_required: bool
    status: BatchStatus
    concurrency: int
    total: int
    error: str | None
    waiting_until: datetime | None
    created_at: datetime
    launched_at: datetime | None
    finished_at: datetime | None
    progress: Progress


class BatchUpdate(BaseModel):
    """Changes to a draft (every field optional)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    data_class: DataClass | None = None
    mode: Mode | None = None
    model: str | None = Field(None, max_length=128)
    temperature: float | None = Field(None, ge=0, le=1)
    max_tokens: int | None = Field(None, ge=16, le=4096)
    instruction: str | None = Field(None, max_length=20_000)
    body: str | None = Field(None, max_length=20_000)
    review_required: bool | None = None


class SharePointTable(BaseModel):
    """A table picked in SharePoint (`item_id` as `search_documents` gives it: drive:item)."""

    model_config = ConfigDict(extra="forbid")

    item_id: str = Field(min_length=3, max_length=400, pattern=r"^[^:]+:.+$")
    data_class: DataClass | None = None


class SharePointFile(BaseModel):
    """A CSV or XLSX file of SharePoint the user may read."""

    item_id: str
    name: str
    site: str


class ModelOption(BaseModel):
    """A model the page may offer."""

    id: str
    label: str
    hosting: str
    hosting_label: str


class ModelOptions(BaseModel):
    """The models allowed for this table's class, or why there are none."""

    data_class: DataClass
    models: list[ModelOption]
    reason: str | None = None
    merge_available: bool = True


class RowOut(BaseModel):
    """A row, its outcome and its review."""

    number: int
    values: dict[str, str]
    status: RowStatus
    attempts: int
    data_class: DataClass | None
    findings: list[str]
    output: str | None
    model_used: str | None
    error_code: str | None
    error: str | None
    review: Review
    edited: str | None
    final: str | None = Field(description="The letter as it would leave: edited text, else the output.")
    reviewed_at: datetime | None
    completed_at: datetime | None


class PreviewRow(BaseModel):
    """One row as it would be sent (or merged), and the gateway's verdict on it."""

    number: int
    values: dict[str, str]
    messages: list[dict[str, str]] = Field(default_factory=list)
    letter: str | None = None
    data_class: DataClass
    findings: list[str]
    allowed: bool
    refusal: str | None = None


class ReviewIn(BaseModel):
    """A reviewer's decision on a row (`edited` with the corrected letter)."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["accepted", "edited", "rejected", "pending"]
    text: str | None = Field(None, max_length=50_000)


class ReviewAll(BaseModel):
    """Accept or reject every finished row not reviewed yet."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["accepted", "rejected"]
