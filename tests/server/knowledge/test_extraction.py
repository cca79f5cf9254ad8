"""Extraction and chunking: locators follow PDF pages, DOCX and TXT headings; chunks stay bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.citations import quote_is_in
from server.knowledge.chunking import MAX_CHARS, chunk_sections
from server.knowledge.extraction import ExtractionError, extract

DOCUMENTS = Path(__file__).resolve().parents[3] / "tools" / "tenant" / "data" / "documents"


def test_pdf_chunks_are_located_by_page_and_quote_their_page_verbatim():
    extracted = extract((DOCUMENTS / "rigtt.pdf").read_bytes(), "rigtt.pdf")
    pages = {section.locator: section.text for section in extracted.sections}

    chunks = chunk_sections(extracted.sections)

    assert extracted.pages == 18
    assert {chunk.locator for chunk in chunks} == set(pages)
    assert all(len(chunk.text) <= MAX_CHARS for chunk in chunks)
    assert all(quote_is_in(chunk.text, pages[chunk.locator]) for chunk in chunks)
    on_call = next(chunk for chunk in chunks if "une astreinte de 24 heures donne droit" in chunk.text)
    assert on_call.locator == "page 8"
    assert not any(chunk.text.startswith("CHRU Exemple — RIGTT") for chunk in chunks)  # running header


def test_docx_chunks_are_located_by_heading():
    data = (DOCUMENTS / "note-service-astreintes-2025-014.docx").read_bytes()

    chunks = chunk_sections(extract(data, "note.docx").sections)

    assert [chunk.locator for chunk in chunks][:3] == [
        "section « Note de service DRH n° 2025-014 — Compensation des astreintes »",
        "section « 1. Objet »",
        "section « 2. Choix du mode de compensation »",
    ]
    assert chunks[2].heading == "2. Choix du mode de compensation"


def test_txt_uses_markdown_headings_or_paragraph_numbers():
    with_headings = extract(b"# Accueil\n\nPremier jour.\n\n## Badge\n\nLe badge est remis.", "a.txt")
    plain = extract("Premier paragraphe.\n\nDeuxième paragraphe.\n".encode(), "b.txt")

    assert [s.locator for s in with_headings.sections] == ["section « Accueil »", "section « Badge »"]
    assert [s.locator for s in plain.sections] == ["paragraphes 1 à 2"]


def test_long_sections_are_cut_with_a_small_overlap():
    sentence = "L'agent d'astreinte doit être joignable en permanence sur son téléphone professionnel. "
    text = (sentence * 40).strip()

    chunks = chunk_sections(extract(text.encode(), "long.txt").sections)

    assert len(chunks) > 3
    assert all(len(chunk.text) <= MAX_CHARS for chunk in chunks)
    assert all(chunk.text.startswith("L'agent") for chunk in chunks[1:])  # begins with the last sentence


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("tableur.xlsx", b"PK\x03\x04", "unsupported_type"),
        ("faux.pdf", b"PK\x03\x04 not a pdf", "unreadable_document"),
        ("binaire.txt", b"\x00\x01\x02", "unreadable_document"),
        ("blanc.txt", b"\n \n", "empty_document"),
    ],
)
def test_bad_files_raise_typed_errors(name, data, code):
    with pytest.raises(ExtractionError) as raised:
        extract(data, name)

    assert raised.value.code == code
