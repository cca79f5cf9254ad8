"""Data quality of knowledge, per collection.

Documents past their review date, duplicates, pages without text (scans), documents no answer ever
cited. Measured at each read from the knowledge tables and the answers' citations, so it stays current
without a job keeping it so.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from server.governance import quality_repository
from server.governance.schemas import CollectionQuality, QualityCounts, QualityDocument, QualityIssue
from tools.database import Pool


async def measure(pool: Pool, review_months: int, today: date | None = None) -> list[CollectionQuality]:
    """Every knowledge collection's quality, by collection name."""
    today = today or date.today()
    rows = await quality_repository.documents(pool, review_months)
    cited = await quality_repository.cited_documents(pool)
    by_collection: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_collection[str(row["collection"])].append(dict(row))
    return [_collection(name, documents, cited, today) for name, documents in sorted(by_collection.items())]


def _collection(
    name: str, documents: list[dict[str, Any]], cited: dict[str, int], today: date
) -> CollectionQuality:
    issues: list[QualityDocument] = []
    first_of: dict[str, dict[str, Any]] = {}
    for document in documents:  # oldest first: the first copy is the original
        if document["review_on"] < today:
            issues.append(_issue(document, QualityIssue.REVIEW_DUE, document["review_on"].isoformat()))
        original = first_of.get(document["sha256"]) or (
            first_of.get(document["text_digest"]) if document["text_digest"] else None
        )
        if original is not None:
            issues.append(_issue(document, QualityIssue.DUPLICATE, str(original["title"])))
        else:
            first_of[document["sha256"]] = document
            if document["text_digest"]:
                first_of[document["text_digest"]] = document
        if document["empty_pages"] > 0:
            detail = f"{document['empty_pages']}/{document['pages']}"
            issues.append(_issue(document, QualityIssue.WITHOUT_TEXT, detail))
        if document["id"] not in cited:
            issues.append(_issue(document, QualityIssue.UNREACHED))
    count: dict[QualityIssue, int] = dict.fromkeys(QualityIssue, 0)
    for item in issues:
        count[item.issue] += 1
    counts = QualityCounts(
        documents=len(documents),
        review_due=count[QualityIssue.REVIEW_DUE],
        duplicates=count[QualityIssue.DUPLICATE],
        without_text=count[QualityIssue.WITHOUT_TEXT],
        unreached=count[QualityIssue.UNREACHED],
    )
    return CollectionQuality(collection=name, system_id=f"assistant:{name}", counts=counts, issues=issues)


def _issue(document: dict[str, Any], issue: QualityIssue, detail: str = "") -> QualityDocument:
    return QualityDocument(id=document["id"], title=document["title"], issue=issue, detail=detail)


def needs_attention(counts: QualityCounts) -> bool:
    """A collection to fix: documents past review, repeated, or with pages that gave no text.

    Documents never cited do not flag the system alone: a new collection has only such documents.
    """
    return bool(counts.review_due or counts.duplicates or counts.without_text)
