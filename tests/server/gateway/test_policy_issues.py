"""A refused policy says where each problem is, for the editor to show it at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.gateway.policy import PolicyError, PolicyIssue, parse_policy

DEFAULT = (Path(__file__).parents[3] / "server" / "gateway" / "policy.yaml").read_text(encoding="utf-8")


def _issues(document: str) -> tuple[list[str], list[PolicyIssue]]:
    with pytest.raises(PolicyError) as refused:
        parse_policy(document)
    return refused.value.errors, refused.value.issues


def test_broken_cross_references_are_each_located_and_the_errors_stay_as_they_were() -> None:
    broken = DEFAULT.replace("models: [all-minilm-l6-v2]", "models: [all-minilm-l6-v3]")
    message = "rule embeddings-for-all: unknown model all-minilm-l6-v3 (use catalogue ids)"
    assert _issues(broken) == ([message], [PolicyIssue(("rules", 0, "models", 0), message)])


def test_a_schema_error_is_located_by_its_path() -> None:
    errors, issues = _issues(DEFAULT.replace("rules:\n", "rules:\n  - 3\n", 1))
    assert [issue.path for issue in issues] == [("rules", 0)]
    assert errors == [f"rules.0: {issues[0].message}"]


def test_a_yaml_syntax_error_carries_its_line() -> None:
    errors, issues = _issues("rules: []\nmodels: [a\nproviders: {}\n")
    assert len(errors) == 1
    assert errors[0].startswith("YAML: ")
    assert [(issue.path, issue.line) for issue in issues] == [((), 3)]


def test_a_duplicated_rule_points_at_its_second_occurrence() -> None:
    first_rule = DEFAULT.split("\nrules:\n", 1)[1].split("\n  - id: ", 1)[0]
    doubled = DEFAULT.replace("\nrules:\n", "\nrules:\n" + first_rule + "\n", 1)
    errors, issues = _issues(doubled)
    assert errors == ["rule embeddings-for-all: declared twice"]
    assert [issue.path for issue in issues] == [("rules", 1, "id")]
