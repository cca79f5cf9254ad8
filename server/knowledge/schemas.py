"""Shapes of the knowledge API (`/api/knowledge/{collection}/…`)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

MAX_TOP = 50


class DocumentSource(StrEnum):
    """Where a document came from."""

    UPLOAD = "upload"
    SHAREPOINT = "sharepoint"
    SEED = "seed"


class KnowledgeDocument(BaseModel):
    """A document of a collection, visible only once completely indexed."""

    id: str
    collection: str
    title: str
    filename: str
    media_type: str
    source: DocumentSource
    source_item: str | None = Field(None, description="SharePoint item (`drive:item`) it was read from.")
    url: str | None = None
    size_bytes: int
    pages: int = Field(description="Pages of a PDF; sections of a DOCX or TXT.")
    sections: int
    chunks: int
    characters: int
    created_by: str
    created_at: datetime
    indexed_at: datetime
    review_by: date | None = Field(
        None, description="When it must be reviewed (unset: governance counts a year after indexing)."
    )


class DocumentChange(BaseModel):
    """`PATCH …/documents/{id}`: set or clear the document's review date."""

    review_by: date | None


class SharePointPick(BaseModel):
    """`POST …/documents/sharepoint`: a SharePoint document the author can read."""

    item_id: str = Field(min_length=3, max_length=400, description="`drive:item` id from search_documents.")


class SearchRequest(BaseModel):
    """`POST …/search`."""

    query: str = Field(min_length=1, max_length=2000)
    top: int = Field(8, ge=1, le=MAX_TOP)


class Passage(BaseModel):
    """A retrieved chunk with where to find it; `score` is the fused (RRF) score."""

    document_id: str
    title: str
    locator: str = Field(description="« page 9 » or « section « 3. Barème » »: where to find the text.")
    heading: str | None
    text: str
    score: float
    similarity: float | None = Field(description="Cosine similarity to the query (vector side), if ranked.")
    text_rank: float | None = Field(description="Full-text rank (French), if the words matched.")
    url: str | None


class SearchResult(BaseModel):
    """The best passages of a collection for a query, best first."""

    query: str
    collection: str
    passages: list[Passage]
