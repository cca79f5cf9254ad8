"""Courrier entrant on the sample scans: time per page, field accuracy, straight-through, wrong files.

Each scan of the split (default `test`; `python -m evals.bench.intake dev` while tuning) goes through
what the pipeline does before its decision: the reader subprocess (format check, decoding, Tesseract,
preview), the rules, the DPI search (the sample DPI's API, in process) and the matching. The
reference, page by page in the same run, is Tesseract alone on the same page image: the ratio says
what Ariane adds around the OCR engine. Then the decision at the default threshold is scored against
the ground truth: a straight-through document filed under another patient or stay is a wrong
integration, and so is any straight-through of a document whose patient or stay the DPI does not have.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

import httpx

from evals.bench.stats import Report, Series
from server.intake.dpi import HttpDpi
from server.intake.matching import match
from server.intake.ocr import read_scan
from server.intake.pipeline import decision_confidence
from server.intake.reader import OCR_MAX_WIDTH, pages_of, scaled
from server.intake.schemas import FIELD_NAMES
from server.intake.settings import IntakeSettings
from server.intake.structure import structure
from tools.tenant.app import create_tenant_app
from tools.tenant.scans.build import samples
from tools.tenant.settings import TenantSettings


def _same(got: str | None, expected: str | None) -> bool:
    def norm(text: str | None) -> str:
        return unicodedata.normalize("NFC", " ".join((text or "").split())).casefold()

    return norm(got) == norm(expected)


async def _tesseract_alone(data: bytes, folder: Path, tesseract: str) -> list[float]:
    """Seconds per page of the bare engine on the page image the reader would give it."""
    timings = []
    for number, image in enumerate(pages_of(data, 10, 40_000_000)):
        path = folder / f"page-{number}.png"
        scaled(image, OCR_MAX_WIDTH).save(path)
        start = time.perf_counter()
        quiet = asyncio.subprocess.DEVNULL
        command = [tesseract, str(path), "stdout", "-l", "fra", "--psm", "3", "tsv"]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=quiet, stderr=quiet, env={"OMP_THREAD_LIMIT": "1"}
        )
        await process.wait()
        timings.append(time.perf_counter() - start)
    return timings


async def evaluate(split: str) -> tuple[dict[str, list[float]], dict[str, Any], list[dict[str, Any]]]:
    """Run the split; the timings (ms per page), the scores and one row per document."""
    settings = IntakeSettings()
    tesseract = shutil.which(settings.tesseract) or "tesseract"
    threshold = settings.threshold
    timings: dict[str, list[float]] = {"tesseract alone": [], "ariane: read + structure + match": [],
                                       "ariane: structure + match": []}  # fmt: skip
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        tenant = create_tenant_app(TenantSettings(data_dir=Path(folder) / "tenant"))
        dpi = HttpDpi(
            "http://tenant", settings.dpi_key.get_secret_value(), 10, httpx.ASGITransport(app=tenant)
        )
        for sample in samples(split):
            truth = sample.document.truth
            reference = await _tesseract_alone(sample.data, Path(folder), tesseract)
            start = time.perf_counter()
            pages = await read_scan(sample.data, settings)
            read = time.perf_counter()
            fields = structure([{"words": page.words} for page in pages])
            found = match(fields, await dpi.find_patients(fields))
            done = time.perf_counter()
            count = len(pages)
            timings["tesseract alone"] += [seconds * 1000 for seconds in reference]
            timings["ariane: read + structure + match"] += [(done - start) * 1000 / count] * count
            timings["ariane: structure + match"] += [(done - read) * 1000 / count] * count
            confidence = decision_confidence(fields, found)
            straight = found.exception is None and confidence >= threshold
            right = (found.ipp, found.nda) == (truth["patient_ipp"], truth["nda"])
            rows.append({
                "id": sample.document.id, "pages": count, "expected": truth["expected"],
                "straight_through": straight, "wrong_integration": straight and not right,
                "exception": found.exception, "confidence": round(confidence, 3),
                "fields": {name: fields[name].value if name in fields else None for name in FIELD_NAMES},
                "field_ok": {name: _same(fields[name].value if name in fields else None, truth[name])
                             for name in FIELD_NAMES},
                "match_ok": right if truth["expected"] == "integrate" else found.exception is not None,
            })  # fmt: skip
        await dpi.close()
    return timings, _scores(rows, threshold), rows


def _scores(rows: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    total = len(rows)
    exceptions = [row for row in rows if row["expected"] == "exception"]
    return {
        "documents": total,
        "pages": sum(row["pages"] for row in rows),
        "threshold": threshold,
        "straight_through": f"{sum(r['straight_through'] for r in rows)}/{total}",
        "straight_through_rate": round(sum(r["straight_through"] for r in rows) / total, 3),
        "wrong_integrations": sum(r["wrong_integration"] for r in rows),
        "expected_exceptions_held": f"{sum(not r['straight_through'] for r in exceptions)}/{len(exceptions)}",
        "match_accuracy": round(sum(r["match_ok"] for r in rows) / total, 3),
        "field_accuracy": {
            name: round(sum(r["field_ok"][name] for r in rows) / total, 3) for name in FIELD_NAMES
        },
    }


async def run(split: str = "test") -> Report:
    timings, scores, rows = await evaluate(split)
    notes: dict[str, object] = {"split": split, **scores}
    notes["not_straight_through"] = [
        f"{r['id']} ({r['exception'] or r['confidence']})" for r in rows if not r["straight_through"]
    ]
    series = [Series(name, [round(ms, 3) for ms in samples_ms]) for name, samples_ms in timings.items()]
    for entry in series:
        ordered = sorted(entry.samples_ms)
        notes[f"{entry.name} p95_ms"] = round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1)
    return Report(
        benchmark="intake" if split == "test" else f"intake-{split}",
        description=f"courrier entrant, {split} split: ms per page (OCR + structure + match) "
        "vs Tesseract alone",
        series=series,
        reference="tesseract alone",
        notes=notes,
    )


if __name__ == "__main__":
    print(asyncio.run(run(sys.argv[1] if len(sys.argv) > 1 else "test")).print_and_save())
