"""Shapes of `/api/threads/{id}/attachments`."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Attachment(BaseModel):
    """A file attached to a conversation, as it was read (its content is never sent back whole)."""

    id: str
    thread_id: str
    filename: str
    media_type: str
    size_bytes: int
    pages: int = Field(description="Pages of a PDF or a scan; sections of other files.")
    chunks: int = Field(description="Passages the file was cut into (what answers cite).")
    ocr: bool = Field(description="True when the text was read by OCR (an image or a scanned PDF).")
    created_at: datetime
