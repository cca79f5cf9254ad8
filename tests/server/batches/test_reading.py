"""Tables and templates: what is read, and every bad file refused with its reason before anything."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from server.batches.prompting import LetterTemplate
from server.batches.reading import Column, TableError, TableTooLargeError, read_table
from server.batches.template import TemplateError, parse_template

LIMITS = {"max_bytes": 1024 * 1024, "max_rows": 100}


def _read(name: str, data: bytes):  # type: ignore[no-untyped-def]
    return read_table(name, data, **LIMITS)


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_french_excel_csv_in_windows_1252_with_semicolons_is_read() -> None:
    data = "Civilité;Nom;Date du rendez-vous\r\nMadame;Élise Noël;07/12/2026\r\n".encode("cp1252")
    table = _read("export.csv", data)
    assert table.columns == [
        Column("Civilité", "civilite"),
        Column("Nom", "nom"),
        Column("Date du rendez-vous", "date_du_rendez_vous"),
    ]
    assert table.rows == [{"civilite": "Madame", "nom": "Élise Noël", "date_du_rendez_vous": "07/12/2026"}]


def test_utf8_with_bom_and_commas_is_read() -> None:
    data = "\ufeffnom,âge\nDupont,42\n".encode()
    assert _read("t.csv", data).rows == [{"nom": "Dupont", "age": "42"}]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("t.csv", b"", "empty_table"),
        ("t.csv", b"   \n\n", "empty_table"),
        ("t.csv", b"nom;age\r\n", "empty_table"),
        ("t.csv", b"nom;age\x00\r\nDupont;4\x002\r\n", "unreadable_encoding"),
        ("t.csv", b"nom;objet\r\nDupont;caf\x81\r\n", "unreadable_encoding"),
        ("t.csv", b'nom;objet\r\nDupont;=HYPERLINK("http://x")\r\n', "formula_in_table"),
        ("t.csv", b"nom;objet\r\nDupont;+cmd|' /C calc'!A0\r\n", "formula_in_table"),
        ("t.csv", b"nom;objet\r\nDupont;@SUM(A1:A2)\r\n", "formula_in_table"),
        ("t.csv", b"nom;nom\r\nDupont;Durand\r\n", "duplicate_column"),
        ("t.csv", b"nom;;age\r\nDupont;x;4\r\n", "missing_header"),
        ("t.csv", b"nom;age\r\nDupont;4;en trop\r\n", "ragged_table"),
        ("t.xls", b"\xd0\xcf\x11\xe0 old excel", "unsupported_table"),
        ("t.pdf", b"%PDF-1.4", "unsupported_table"),
        ("t.xlsx", b"PK\x03\x04 not really a zip", "unreadable_table"),
    ],
)
def test_bad_files_are_refused_with_their_reason(name: str, data: bytes, code: str) -> None:
    with pytest.raises(TableError) as refused:
        _read(name, data)
    assert refused.value.code == code


def test_values_that_only_look_like_signs_are_kept() -> None:
    data = "nom;téléphone;dose\r\nDupont;+33 6 12 34 56 78;-5 mg\r\n".encode()
    assert _read("t.csv", data).rows[0] == {
        "nom": "Dupont",
        "telephone": "+33 6 12 34 56 78",
        "dose": "-5 mg",
    }


def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(TableTooLargeError) as refused:
        read_table("t.csv", b"nom\r\n" + b"x\r\n" * 600_000, max_bytes=1024 * 1024, max_rows=10)
    assert refused.value.status_code == 413
    with pytest.raises(TableTooLargeError):
        read_table("t.csv", b"nom\r\n" + b"x\r\n" * 11, max_bytes=1024 * 1024, max_rows=10)


def test_xlsx_values_are_read_as_text_and_formulas_refused() -> None:
    data = _xlsx([["Nom", "Date du rendez-vous", "Âge"], ["Dupont", date(2026, 12, 7), 42]])
    assert _read("t.xlsx", data).rows == [{"nom": "Dupont", "date_du_rendez_vous": "07/12/2026", "age": "42"}]
    with pytest.raises(TableError) as refused:
        _read("t.xlsx", _xlsx([["Nom", "Total"], ["Dupont", "=1+1"]]))
    assert refused.value.code == "formula_in_table"
    assert "B2" in refused.value.detail


def test_a_template_naming_a_missing_column_is_refused_with_the_closest_names() -> None:
    with pytest.raises(TemplateError) as refused:
        parse_template("Bonjour {{ civilte }} {{nom}}", ["civilite", "nom"])
    assert refused.value.code == "unknown_column"
    assert "civilite" in refused.value.detail
    with pytest.raises(TemplateError) as broken:
        parse_template("Bonjour {{nom}", ["nom"])
    assert broken.value.code == "template_syntax"


def test_a_template_fills_in_headers_or_keys_and_inserts_values_as_they_are() -> None:
    template = LetterTemplate.of(
        "Consigne : {{consigne}}",
        "Bonjour {{ Civilité }} {{nom}}, le {{date_du_rendez_vous}}.",
        ["civilite", "nom", "date_du_rendez_vous", "consigne", "ipp"],
    )
    values = {
        "civilite": "Madame",
        "nom": "{{ipp}}",
        "date_du_rendez_vous": "07/12/2026",
        "consigne": "À jeun",
        "ipp": "00800100",
    }
    assert template.merge(values) == "Bonjour Madame {{ipp}}, le 07/12/2026."
    assert template.used(values) == {
        k: values[k] for k in ("consigne", "civilite", "nom", "date_du_rendez_vous")
    }
    assert template.messages(values)[0]["content"].endswith("Consigne : À jeun")
