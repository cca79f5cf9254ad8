"""Stored batches and rows as the API shows them."""

from __future__ import annotations

from typing import Any

from server.batches.schemas import Batch, ColumnOut, Progress, RowOut


def progress(total: int, counts: dict[str, int], recent: int) -> Progress:
    """Where a batch stands, its rate over the last minute and the time left at that rate."""
    ended = sum(counts.get(name, 0) for name in ("done", "refused", "failed", "cancelled"))
    left = counts.get("pending", 0) + counts.get("sending", 0)
    return Progress(
        total=total,
        done=ended,
        succeeded=counts.get("done", 0),
        refused=counts.get("refused", 0),
        failed=counts.get("failed", 0),
        cancelled=counts.get("cancelled", 0),
        pending=counts.get("pending", 0),
        sending=counts.get("sending", 0),
        accepted=counts.get("review_accepted", 0),
        edited=counts.get("review_edited", 0),
        rejected=counts.get("review_rejected", 0),
        to_review=counts.get("review_pending", 0),
        rate_per_minute=float(recent),
        eta_seconds=round(left / recent * 60, 1) if recent and left else (0.0 if not left else None),
    )


def batch_view(row: dict[str, Any], counts: dict[str, int], recent: int) -> Batch:
    """The API shape of a stored batch."""
    return Batch(
        id=row["id"],
        title=row["title"],
        filename=row["filename"],
        source=row["source"],
        columns=[ColumnOut(**column) for column in row["columns"]],
        data_class=row["data_class"],
        detected_class=row["detected_class"],
        mode=row["mode"],
        model=row["model"],
        temperature=row["temperature"],
        max_tokens=row["max_tokens"],
        instruction=row["instruction"],
        body=row["body"],
        review_required=row["review_required"],
        status=row["status"],
        concurrency=row["concurrency"],
        total=row["total"],
        error=row["error"],
        waiting_until=row["waiting_until"],
        created_at=row["created_at"],
        launched_at=row["launched_at"],
        finished_at=row["finished_at"],
        progress=progress(row["total"], counts, recent),
    )


def final_text(row: dict[str, Any]) -> str | None:
    """The letter as it would leave: the reviewer's edit, else the output."""
    if row["status"] != "done" or row["review"] == "rejected":
        return None
    return str(row["edited"]) if row["review"] == "edited" and row["edited"] is not None else row["output"]


def row_view(row: dict[str, Any]) -> RowOut:
    """The API shape of a stored row."""
    return RowOut(
        number=row["number"],
        values=row["values"],
        status=row["status"],
        attempts=row["attempts"],
        data_class=row["data_class"],
        findings=list(row["findings"] or []),
        output=row["output"],
        model_used=row["model_used"],
        error_code=row["error_code"],
        error=row["error"],
        review=row["review"],
        edited=row["edited"],
        final=final_text(row),
        reviewed_at=row["reviewed_at"],
        completed_at=row["completed_at"],
    )
