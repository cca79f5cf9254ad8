"""The sample scans: generated deterministically, ground truth committed, split dev / test."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from tools.tenant.scans.build import TRUTH_FILE, documents, ground_truth, load_patients, render


def test_the_committed_ground_truth_is_what_the_generator_makes():
    committed = json.loads(TRUTH_FILE.read_text(encoding="utf-8"))["documents"]
    assert committed == ground_truth()


def test_the_set_has_every_kind_and_defect_in_both_splits():
    truth = ground_truth()
    assert len(truth) >= 40
    for split in ("dev", "test"):
        rows = [row for row in truth if row["split"] == split]
        assert len(rows) == len(truth) // 2
        assert set(Counter(row["type"] for row in rows)) == {
            "biologie",
            "hospitalisation",
            "consultation",
            "imagerie",
        }
        assert {row["expected"] for row in rows} == {"integrate", "exception"}
        assert any(row["pages"] == 2 for row in rows)
        for defect in ("skew", "stamp", "fax", "speckle"):
            assert any(row["defects"].get(defect) for row in rows), (split, defect)


def test_expected_integrations_name_a_real_patient_and_stay_of_the_dpi():
    stays = {(p["ipp"], s["nda"]) for p in load_patients() for s in p["stays"]}
    for row in ground_truth():
        if row["expected"] == "integrate":
            assert (row["patient_ipp"], row["nda"]) in stays


def test_rendering_is_deterministic():
    document = documents()[1]
    first, second = render(document), render(document)
    assert hashlib.sha256(first.data).digest() == hashlib.sha256(second.data).digest()
