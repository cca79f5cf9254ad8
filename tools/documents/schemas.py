"""Structured results of the documents tools."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class DocumentHit(BaseModel):
    """A document matching a search, with the passage that matched."""

    id: str = Field(description="Identifiant à passer à read_document.")
    title: str
    site: str = Field(description="Site SharePoint qui contient le document.")
    url: str
    snippet: str = Field(description="Passage correspondant, mots trouvés entre ** **.")
    modified: datetime | None
    rank: int


class DocumentSearch(BaseModel):
    """Documents the user may read that match the query, best first."""

    query: str
    site: str | None
    total: int
    hits: list[DocumentHit]


class DocumentSection(BaseModel):
    """A citable part of a document: a PDF page or a DOCX heading with its text."""

    locator: str = Field(description="Repère à citer : « page 3 » ou « section « 2. Objet » ».")
    text: str


class DocumentText(BaseModel):
    """The text of a document, cut into citable sections; `text` has each locator in brackets."""

    id: str
    title: str
    url: str
    modified: datetime | None
    sections: list[DocumentSection]
    text: str
