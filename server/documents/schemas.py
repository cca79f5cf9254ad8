"""Shapes of the document viewer (`/api/documents/…`)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class ViewedSource(StrEnum):
    """Where the viewed document is read from."""

    KNOWLEDGE = "knowledge"  # an assistant's reference document, as Ariane indexed it
    SHAREPOINT = "sharepoint"  # a SharePoint item, read now as the user


class ViewedSection(BaseModel):
    """A citable part: a PDF page or a DOCX heading with what follows it."""

    locator: str = Field(description="« page 9 » or « section « 3. Barème » », as citations name it.")
    text: str


class DocumentView(BaseModel):
    """`GET /api/documents/{source}/{id}`: what the web app's viewer shows."""

    source: ViewedSource
    id: str
    title: str
    url: str | None = Field(None, description="The original's address (SharePoint), when it has one.")
    sections: list[ViewedSection]
