"""Batch letters: create from a table, set the template and model, preview, launch, follow, review.

Only the owner sees and acts on a batch (anyone else gets 404, as if it did not exist); auditors read
batches through the audit trail, where each batch is one run. A draft is checked whole before launch:
the template against the columns, the model against the policy for the table's class; each row is
checked again when it is sent (`server.batches.policy`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from server.auth.schemas import User
from server.batches import repository
from server.batches.bounded import read_table_bounded
from server.batches.policy import (
    CatalogueSource,
    NameSource,
    check_model,
    check_row,
    offered_models,
    why_none,
)
from server.batches.prompting import LetterTemplate, chat_request
from server.batches.reading import Table
from server.batches.recording import BatchAuditor
from server.batches.schemas import (
    Batch,
    BatchUpdate,
    ModelOption,
    ModelOptions,
    PreviewRow,
    ReviewIn,
    RowOut,
)
from server.batches.views import batch_view, row_view
from server.errors import ApiError, NotFoundError
from server.gateway.classification import classify
from server.gateway.policy import DataClass
from server.messages import MESSAGES
from server.registry.sealing import SecretBox
from tools.database import Pool, is_uuid
from tools.doctext.bounded import ReadingLimits

PREVIEW_ROWS = 3
Launch = Callable[[str], Awaitable[None]]


class BatchStateError(ApiError):
    """The batch is not in a state that allows this."""

    status_code = 409
    code = "batch_state"


@dataclass(frozen=True)
class Limits:
    """Bounds of what a user may upload and run."""

    max_bytes: int
    max_rows: int
    concurrency: int
    reading: ReadingLimits = field(default_factory=ReadingLimits)  # the table's bounded reader


class BatchService:
    """Built once by the app's lifespan."""

    def __init__(
        self,
        pool: Pool,
        limits: Limits,
        catalogue: CatalogueSource,
        secrets: SecretBox,
        launch: Launch,
        auditor: Callable[[], BatchAuditor | None],
        names: NameSource = lambda: None,
    ) -> None:
        self.pool = pool
        self.names = names
        self.limits = limits
        self.catalogue = catalogue
        self.secrets = secrets
        self._launch = launch
        self._auditor = auditor

    async def create(
        self,
        user: User,
        filename: str,
        data: bytes,
        *,
        source: str = "upload",
        source_item: str | None = None,
        data_class: DataClass | None = None,
    ) -> Batch:
        """Read the table (refused with the reason when bad) and store it as a draft."""
        table = await read_table_bounded(
            filename,
            data,
            max_bytes=self.limits.max_bytes,
            max_rows=self.limits.max_rows,
            limits=self.limits.reading,
        )
        detected = _detected_class(table)
        batch_id = await repository.create_batch(
            self.pool,
            {
                "owner_id": user.id,
                "title": filename.rsplit(".", 1)[0][:200] or "Courriers",
                "filename": filename[:255],
                "source": source,
                "source_item": source_item,
                "sha256": hashlib.sha256(data).hexdigest(),
                "columns": [{"name": c.name, "key": c.key} for c in table.columns],
                "data_class": (data_class or detected).value,
                "detected_class": detected.value,
                "concurrency": self.limits.concurrency,
                "body": "",
                # its rows run later, in the background: their errors are written in this language
                "language": user.language,
            },
            table.rows,
        )
        return await self.get(user, batch_id)

    async def mine(self, user: User) -> list[Batch]:
        """The user's batches, newest first."""
        return [await self._view(row) for row in await repository.list_batches(self.pool, user.id)]

    async def get(self, user: User, batch_id: str) -> Batch:
        """One of the user's batches."""
        return await self._view(await self._owned(user, batch_id))

    async def update(self, user: User, batch_id: str, changes: BatchUpdate) -> Batch:
        """Change a draft: each change checked (template against the columns, model against policy).

        Raises:
            BatchStateError: the batch was launched already.
            TemplateError: a template names a missing column or does not parse.
            ApiError: `model_not_allowed` for this table's class.
        """
        batch = await self._owned(user, batch_id)
        if batch["status"] != "draft":
            raise BatchStateError(MESSAGES("batches.launched_frozen"))
        values = changes.model_dump(exclude_unset=True)
        merged = batch | values
        keys = [column["key"] for column in batch["columns"]]
        LetterTemplate.of(merged["instruction"], merged["body"], keys)
        if merged["mode"] == "model" and merged["model"] and ("model" in values or "data_class" in values):
            await self._check_model(user, merged["model"], DataClass(merged["data_class"]))
        if not await repository.update_draft(self.pool, batch_id, values):
            raise BatchStateError(MESSAGES("batches.launched_frozen"))
        return await self.get(user, batch_id)

    async def options(self, user: User, batch_id: str) -> ModelOptions:
        """The models the page may offer for this table, or why none."""
        batch = await self._owned(user, batch_id)
        data_class = DataClass(batch["data_class"])
        catalogue = await self.catalogue()
        models = [ModelOption(**vars(m)) for m in offered_models(catalogue, user, data_class)]
        reason = None if models else why_none(catalogue, user, data_class).render(user.language)
        return ModelOptions(data_class=data_class, models=models, reason=reason)

    async def preview(self, user: User, batch_id: str, count: int = PREVIEW_ROWS) -> list[PreviewRow]:
        """The first rows as they would be sent (or merged), with the gateway's verdict on each."""
        batch = await self._owned(user, batch_id)
        template = _template(batch)
        catalogue = await self.catalogue()
        previews = []
        for row in await repository.rows(self.pool, batch_id, limit=count):
            values = row["values"]
            if batch["mode"] == "merge" or not batch["model"]:
                letter = template.merge(values)
                classification = classify([letter], DataClass(batch["data_class"]))
                previews.append(
                    PreviewRow(
                        number=row["number"],
                        values=values,
                        letter=letter,
                        data_class=classification.data_class,
                        findings=list(classification.findings),
                        allowed=True,
                    )
                )
                continue
            request = chat_request(
                template, values, batch["model"], batch["temperature"], batch["max_tokens"]
            )
            check = check_row(
                catalogue, user, batch["model"], DataClass(batch["data_class"]), request, self.names()
            )
            previews.append(
                PreviewRow(
                    number=row["number"],
                    values=values,
                    messages=request["messages"],
                    data_class=check.classification.data_class,
                    findings=list(check.classification.findings),
                    allowed=check.allowed,
                    refusal=check.refusal.render(user.language) if check.refusal else None,
                )
            )
        return previews

    async def launch(self, user: User, batch_id: str, now: datetime) -> Batch:
        """Check the draft whole, then run it as a job (the owner's session sealed for its rows).

        Raises:
            BatchStateError: not a draft.
            ApiError: `template_required`, `model_required`, `model_not_allowed`.
        """
        batch = await self._owned(user, batch_id)
        if batch["status"] != "draft":
            raise BatchStateError(MESSAGES("batches.already_launched"))
        if not batch["body"].strip():
            raise ApiError(MESSAGES("batches.template_required"), code="template_required")
        _template(batch)
        if batch["mode"] == "model":
            if not batch["model"]:
                raise ApiError(MESSAGES("batches.model_required"), code="model_required")
            await self._check_model(user, batch["model"], DataClass(batch["data_class"]))
        sealed = self.secrets.seal({"token": user.token})
        assert sealed is not None
        if not await repository.launch(self.pool, batch_id, sealed, self.limits.concurrency):
            raise BatchStateError(MESSAGES("batches.already_launched"))
        auditor = self._auditor()
        if auditor is not None:
            mark = auditor.mark()
            auditor.start(batch_id, _caller(user), _recorded(batch), now)
            await auditor.flush(mark)
        await self._launch(batch_id)
        return await self.get(user, batch_id)

    async def pause(self, user: User, batch_id: str) -> Batch:
        """Stop claiming rows (those in flight end); resume later."""
        await self._owned(user, batch_id)
        if not await repository.set_status(
            self.pool, batch_id, "paused", expected=("running",), error="Mis en pause par l'utilisateur."
        ):
            raise BatchStateError(MESSAGES("batches.pause_running_only"))
        return await self.get(user, batch_id)

    async def resume(self, user: User, batch_id: str) -> Batch:
        """Run a paused batch again (failed rows are tried again), under the user's current session."""
        await self._owned(user, batch_id)
        sealed = self.secrets.seal({"token": user.token})
        assert sealed is not None
        if not await repository.resume(self.pool, batch_id, sealed):
            raise BatchStateError(MESSAGES("batches.resume_paused_only"))
        await self._launch(batch_id)
        return await self.get(user, batch_id)

    async def cancel(self, user: User, batch_id: str) -> Batch:
        """Cancel: rows not sent yet are never sent."""
        batch = await self._owned(user, batch_id)
        if batch["status"] == "draft":
            raise BatchStateError(MESSAGES("batches.not_launched"))
        if not await repository.set_status(self.pool, batch_id, "cancelled", expected=("running", "paused")):
            raise BatchStateError(MESSAGES("batches.already_finished"))
        await repository.cancel_rows(self.pool, batch_id)
        return await self.get(user, batch_id)

    async def rows(
        self, user: User, batch_id: str, first: int, limit: int, status: str | None
    ) -> list[RowOut]:
        """Rows from `first`, with their outcome and review."""
        await self._owned(user, batch_id)
        found = await repository.rows(self.pool, batch_id, first=first, limit=limit, status=status)
        return [row_view(row) for row in found]

    async def review(self, user: User, batch_id: str, number: int, decision: ReviewIn) -> RowOut:
        """Accept, edit (with the corrected text) or reject a finished row.

        Raises:
            ApiError: `text_required` for an edit without text; 409 when the row is not finished.
        """
        await self._owned(user, batch_id)
        if decision.decision == "edited" and not (decision.text or "").strip():
            raise ApiError(MESSAGES("batches.text_required"), code="text_required")
        edited = decision.text if decision.decision == "edited" else None
        row = await repository.review(self.pool, batch_id, number, decision.decision, edited, user.id)
        if row is None:
            raise BatchStateError(MESSAGES("batches.row_not_done"), code="row_not_done")
        return row_view(row)

    async def review_all(self, user: User, batch_id: str, decision: str) -> Batch:
        """Accept (or reject) every finished row not reviewed yet."""
        await self._owned(user, batch_id)
        await repository.review_all(self.pool, batch_id, decision, user.id)
        return await self.get(user, batch_id)

    async def owned(self, user: User, batch_id: str) -> dict[str, Any]:
        """The stored batch, if it is the user's (exports)."""
        return await self._owned(user, batch_id)

    async def _check_model(self, user: User, model: str, data_class: DataClass) -> None:
        refusal = check_model(await self.catalogue(), user, model, data_class)
        if refusal is not None:
            raise ApiError(refusal.said, code=refusal.code if refusal.code else "model_not_allowed")

    async def _owned(self, user: User, batch_id: str) -> dict[str, Any]:
        batch = await repository.get_batch(self.pool, batch_id) if is_uuid(batch_id) else None
        if batch is None or batch["owner_id"] != user.id:
            raise NotFoundError(MESSAGES("batches.not_found"), code="batch_not_found")
        return batch

    async def _view(self, row: dict[str, Any]) -> Batch:
        counts = await repository.counts(self.pool, row["id"])
        recent = await repository.recent_rate(self.pool, row["id"]) if row["status"] == "running" else 0
        return batch_view(row, counts, recent)


def _template(batch: dict[str, Any]) -> LetterTemplate:
    keys = [column["key"] for column in batch["columns"]]
    return LetterTemplate.of(batch["instruction"], batch["body"], keys)


def _detected_class(table: Table) -> DataClass:
    """The most sensitive class the gateway's detectors find in the table's rows (internal at least)."""
    found = DataClass.INTERNAL
    for row in table.rows:
        found = classify([" ".join(row.values())], found).data_class
        if found is DataClass.HEALTH:
            break
    return found


def _caller(user: User) -> dict[str, Any]:
    return user.model_dump(mode="json", exclude={"token"})


def _recorded(batch: dict[str, Any]) -> dict[str, Any]:
    """What the audit trail keeps of the batch's settings (the template whole: replay needs it)."""
    keys = (
        "title",
        "filename",
        "sha256",
        "columns",
        "data_class",
        "mode",
        "model",
        "temperature",
        "max_tokens",
        "instruction",
        "body",
        "review_required",
        "total",
    )
    return {key: batch[key] for key in keys}
