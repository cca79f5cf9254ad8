"""The sample scans: 48 documents about the sample DPI's patients, split dev / test, with ground truth.

`python -m tools.tenant.scans.build OUT` writes the scan files to OUT and checks that the ground truth
it computes is the committed one (`tools/tenant/data/scans/ground_truth.json`; `--write-truth` rewrites
it). The same seed gives the same documents and the same pixels (with the same Pillow, numpy and fonts).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tools.tenant.scans import content
from tools.tenant.scans.render import encode, render_pages

DATA = Path(__file__).resolve().parent.parent / "data"
PATIENTS_FILE = DATA / "systems" / "dpi" / "patients.json"
TRUTH_FILE = DATA / "scans" / "ground_truth.json"
SEED = 22
COUNT = 48

# Patients the DPI does not know: their mail must never be integrated anywhere.
UNKNOWN: list[dict[str, Any]] = [
    {
        "ipp": "",
        "nom": "DUVAL",
        "prenom": "Martine",
        "sexe": "F",
        "date_naissance": "1961-05-17",
        "stays": [],
    },
    {
        "ipp": "",
        "nom": "KOWALSKI",
        "prenom": "Stéphane",
        "sexe": "M",
        "date_naissance": "1949-08-08",
        "stays": [],
    },
    {
        "ipp": "",
        "nom": "MARTIN",
        "prenom": "Jeanne",
        "sexe": "F",
        "date_naissance": "1950-02-11",
        "stays": [],
    },
    {
        "ipp": "",
        "nom": "LE GALL",
        "prenom": "Yannick",
        "sexe": "M",
        "date_naissance": "1957-03-02",
        "stays": [],
    },
]
FORMATS = ["png", "jpg", "pdf", "tiff"]
FAXED = {"scan-11", "scan-31"}  # the draw gave the dev split no fax: two of its documents come by fax


@dataclass
class Sample:
    """A sample scan: the file's bytes and what a reader should find."""

    document: content.Document
    file_name: str
    data: bytes


def load_patients() -> list[dict[str, Any]]:
    """The sample DPI's patients."""
    patients: list[dict[str, Any]] = json.loads(PATIENTS_FILE.read_text(encoding="utf-8"))["patients"]
    return patients


def _kind(index: int) -> str:
    if index < 20:
        return "biologie"
    if index < 32:
        return "hospitalisation"
    if index < 42:
        return "consultation"
    return "imagerie"


def _outside_stays(patient: dict[str, Any], rng: random.Random) -> date:
    """A day no stay of the patient covers (an outside exam)."""
    taken = {(date.fromisoformat(s["start"]), date.fromisoformat(s["end"])) for s in patient["stays"]}
    while True:
        day = date(2026, 3, 1) + timedelta(days=rng.randrange(240))
        if all(not (start - timedelta(days=3) <= day <= end + timedelta(days=30)) for start, end in taken):
            return day


def _document(index: int, patients: list[dict[str, Any]], rng: random.Random) -> content.Document:
    kind = _kind(index)
    doc_id = f"scan-{index + 1:02d}"
    unknown = index in {3, 4, 24, 25}
    outside = index in {44, 45}
    patient = UNKNOWN[{3: 0, 4: 1, 24: 2, 25: 3}[index]] if unknown else rng.choice(patients)
    if index in {6, 7}:  # the two Jean MARTIN of the DPI, told apart by their birth dates
        patient = patients[index - 6]
    stay = None if unknown or outside else rng.choice(patient["stays"])
    if kind in {"hospitalisation"} and stay is not None and stay["kind"] != "hospitalisation":
        stays = [s for s in patient["stays"] if s["kind"] == "hospitalisation"]
        stay = stays[0] if stays else stay
    if stay is None:
        stay = {
            "nda": None,
            "unit": "MED-INT",
            "kind": "hospitalisation",
            "start": "2026-05-04",
            "end": "2026-05-09",
        }
        if outside:
            day = _outside_stays(patient, rng)
            stay |= {"start": day.isoformat(), "end": day.isoformat()}
    start, end = date.fromisoformat(stay["start"]), date.fromisoformat(stay["end"])
    if kind == "biologie":
        day = start + timedelta(days=rng.randrange((end - start).days + 1))
        document = content.biology(doc_id, patient, stay if stay["nda"] else None, day, rng)
    elif kind == "hospitalisation":
        day = end + timedelta(days=rng.randrange(0, 8))
        document = content.hospital_letter(doc_id, patient, stay, day, rng)
    elif kind == "consultation":
        day = start + timedelta(days=rng.randrange(0, 5))
        document = content.consultation_letter(doc_id, patient, stay, day, rng)
    else:
        document = content.imaging_report(doc_id, patient, stay, start, rng)
    document.truth |= {
        "patient_ipp": patient["ipp"] or None,
        "nda": stay["nda"],
        "expected": "integrate" if patient["ipp"] and stay["nda"] else "exception",
        "split": "dev" if index % 2 == 0 else "test",
    }
    document.defects = _defects(document, random.Random(f"{SEED}-defects-{doc_id}"))
    return document


def _defects(document: content.Document, rng: random.Random) -> dict[str, object]:
    stamp_day = date.fromisoformat(str(document.truth["date"])) + timedelta(days=rng.randrange(2, 6))
    defects: dict[str, object] = {
        "dpi": rng.choice([150, 200, 200, 300]),
        "skew": round(rng.uniform(-3.0, 3.0), 2) if rng.random() < 0.75 else 0.0,
        "noise": round(rng.uniform(0, 18), 1),
        "speckle": round(rng.uniform(0, 0.01), 4) if rng.random() < 0.35 else 0.0,
        "stamp": content.short_date(stamp_day) if rng.random() < 0.35 else None,
        "blur": rng.random() < 0.15,
        "serif": document.type != "biologie" and rng.random() < 0.5,
        "format": rng.choice(["pdf", "tiff"]) if len(document.pages) > 1 else rng.choice(FORMATS),
    }
    if rng.random() < 0.15 or document.id in FAXED:
        sender = "LABO BIOVALLEE" if document.type == "biologie" else "SECRETARIAT MEDICAL"
        defects["fax"] = (
            f"{content.short_date(stamp_day)} 10:{rng.randrange(60):02d}  DE: {sender}  +33 2 00 00 00 00"
        )
        defects["dpi"] = 200
    return defects


def documents() -> list[content.Document]:
    """The 48 sample documents (text, ground truth and defects), without rendering them."""
    rng = random.Random(SEED)
    patients = load_patients()
    return [_document(index, patients, rng) for index in range(COUNT)]


def render(document: content.Document) -> Sample:
    """One document as its scan file."""
    rng = random.Random(f"{SEED}-{document.id}")
    pages = render_pages(document, rng)
    file_format = str(document.defects["format"])
    data = encode(pages, file_format, int(document.defects["dpi"]))  # type: ignore[call-overload]
    return Sample(document, f"{document.id}.{'jpg' if file_format == 'jpg' else file_format}", data)


def samples(split: str | None = None, ids: set[str] | None = None) -> Iterator[Sample]:
    """Rendered samples, optionally of one split or of some ids only."""
    for document in documents():
        if (split is None or document.truth["split"] == split) and (ids is None or document.id in ids):
            yield render(document)


def ground_truth() -> list[dict[str, Any]]:
    """Each document's truth: fields, patient, stay, expected outcome, split, file, pages, defects."""
    rows = []
    for document in documents():
        file_format = str(document.defects["format"])
        rows.append(
            {
                "id": document.id,
                **document.truth,
                "file": f"{document.id}.{file_format}",
                "pages": len(document.pages),
                "defects": document.defects,
            }
        )
    return rows


def demo_pair() -> list[Sample]:
    """Two lightly scanned lab results for demonstrations and the browser test.

    The first names its patient fully (it goes straight through); the second came by fax without the
    birth date, so the name alone cannot settle it and the secretariat picks the stay.
    """
    rng = random.Random(f"{SEED}-demo")
    patients = {patient["ipp"]: patient for patient in load_patients()}
    clear_patient, faxed_patient = patients["9123796"], patients["9155524"]
    clear = content.biology(
        "courrier-direct",
        clear_patient,
        clear_patient["stays"][0],
        date.fromisoformat(clear_patient["stays"][0]["start"]),
        rng,
    )
    faxed_stay = faxed_patient["stays"][0]
    faxed = content.biology(
        "courrier-a-valider", faxed_patient, None, date.fromisoformat(faxed_stay["start"]), rng
    )
    faxed.pages[0] = [
        line for line in faxed.pages[0] if not line.text.startswith(("Date de naissance", "IPP"))
    ]
    samples = []
    for document in (clear, faxed):
        document.defects = {"dpi": 200, "skew": 0.6, "noise": 4.0, "format": "png"}
        samples.append(render(document))
    return samples


def main(argv: list[str] | None = None) -> int:
    """Write the scans to a folder and check (or rewrite) the committed ground truth."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, nargs="?", help="folder to write the scan files to")
    parser.add_argument("--write-truth", action="store_true", help="rewrite the committed ground truth")
    parser.add_argument("--split", choices=["dev", "test"], help="only this split")
    parser.add_argument("--demo", action="store_true", help="write the two demonstration scans instead")
    args = parser.parse_args(argv)
    if args.demo and args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for sample in demo_pair():
            (args.out / sample.file_name).write_bytes(sample.data)
        return 0
    truth = ground_truth()
    text = json.dumps({"seed": SEED, "documents": truth}, ensure_ascii=False, indent=1) + "\n"
    if args.write_truth:
        TRUTH_FILE.parent.mkdir(parents=True, exist_ok=True)
        TRUTH_FILE.write_text(text, encoding="utf-8")
    elif TRUTH_FILE.read_text(encoding="utf-8") != text:
        print("ground truth differs from the committed one (--write-truth rewrites it)", file=sys.stderr)
        return 1
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for sample in samples(args.split):
            (args.out / sample.file_name).write_bytes(sample.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
