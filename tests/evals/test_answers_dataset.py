"""Suite « answers » as the issue defines it: enough questions of every kind, in a dev and a test split."""

from collections import Counter
from pathlib import Path

import yaml

DATASET = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "answers.yaml"
CATEGORIES = {"amount", "duration", "condition", "exception", "negation", "paraphrase", "table", "follow_up"}


def test_the_answers_suite_has_every_kind_of_question_in_both_splits():
    suite = yaml.safe_load(DATASET.read_text(encoding="utf-8"))
    cases = suite["cases"]
    kinds = Counter((case["split"], case["category"]) for case in cases)

    assert len(cases) >= 100
    assert len({case["id"] for case in cases}) == len(cases)
    assert sum(case["category"] == "out_of_scope" for case in cases) >= 25
    for split in ("dev", "test"):
        assert {category for (s, category) in kinds if s == split} == CATEGORIES | {"out_of_scope"}
    for case in cases:
        assert case["assistant"] in suite["assistants"], case["id"]
        assert case["category"] != "follow_up" or case.get("turns"), case["id"]  # asked after a turn
        assert (case["category"] == "out_of_scope") == (not case.get("expect")), case["id"]
    documents = {doc for spec in suite["assistants"].values() for doc in spec.get("documents", [])}
    assert len(documents) >= 4  # a regulation, a note with a table, a procedure, a FAQ
