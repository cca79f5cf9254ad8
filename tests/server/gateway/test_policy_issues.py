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


def _line(document: str, needle: str) -> int:
    return document.split(needle, 1)[0].count("\n") + 1


def test_broken_cross_references_are_each_located_and_said_in_french() -> None:
    broken = DEFAULT.replace("models: [all-minilm-l6-v2]", "models: [all-minilm-l6-v3]")
    message = (
        "la règle « embeddings-for-all » cite le modèle « all-minilm-l6-v3 », qui n'existe pas dans le"
        " catalogue (utilisez les identifiants du catalogue)"
    )
    line = _line(broken, "models: [all-minilm-l6-v3]")
    assert _issues(broken) == (
        [f"Ligne {line}, rules[0].models[0] : {message}"],
        [PolicyIssue(("rules", 0, "models", 0), message, line)],
    )


def test_the_same_problems_read_in_english_when_asked() -> None:
    broken = DEFAULT.replace("models: [all-minilm-l6-v2]", "models: [all-minilm-l6-v3]")
    with pytest.raises(PolicyError) as refused:
        parse_policy(broken)
    line = _line(broken, "models: [all-minilm-l6-v3]")
    assert refused.value.errors_in("en") == [
        f"Line {line}, rules[0].models[0]: rule « embeddings-for-all » names model « all-minilm-l6-v3 »,"
        " which is not in the catalogue (use catalogue ids)"
    ]


def test_a_schema_error_is_located_by_its_path() -> None:
    document = DEFAULT.replace("rules:\n", "rules:\n  - 3\n", 1)
    errors, issues = _issues(document)
    line = _line(document, "  - 3\n")
    assert [(issue.path, issue.line, issue.message) for issue in issues] == [
        (("rules", 0), line, "un dictionnaire (des lignes « clé : valeur ») est attendu")
    ]
    assert errors == [f"Ligne {line}, rules[0] : {issues[0].message}"]


@pytest.mark.parametrize(
    ("before", "after", "path", "message"),
    [
        # pydantic's error types, each told in French from its type and context.
        ("    hosting: hds\n", "    hosting: hdx\n", ("models", 1, "hosting"), "valeur « hdx » non reconnue"),
        (
            "  - id: embeddings-for-all\n",
            "  - id: embeddings-for-all\n    modles: []\n",
            ("rules", 0, "modles"),
            "champ « modles » inconnu : il n'est pas prévu à cet endroit",
        ),
        ("max_tokens: 4096", "max_tokens: -1", ("clamps", "max_tokens"), "la valeur doit dépasser 0"),
        (
            "max_tokens: 4096",
            "max_tokens: beaucoup",
            ("clamps", "max_tokens"),
            "un nombre entier est attendu",
        ),
    ],
)
def test_schema_errors_are_told_in_french_by_their_type(
    before: str, after: str, path: tuple[str | int, ...], message: str
) -> None:
    assert before in DEFAULT
    _, issues = _issues(DEFAULT.replace(before, after, 1))
    assert [issue.path for issue in issues] == [path]
    assert issues[0].message.startswith(message)
    assert issues[0].line == _line(DEFAULT.replace(before, after, 1), after.strip().split("\n")[-1])


def test_a_missing_field_is_told_in_french() -> None:
    _, issues = _issues(DEFAULT.replace("upstream_name:", "upstream:", 1))
    assert [(issue.path, issue.message) for issue in issues] == [
        (("models", 0, "upstream_name"), "champ obligatoire manquant"),
        (("models", 0, "upstream"), "champ « upstream » inconnu : il n'est pas prévu à cet endroit"),
    ]


def test_a_yaml_syntax_error_carries_its_line_and_a_french_reason() -> None:
    errors, issues = _issues("rules: []\nmodels: [a\nproviders: {}\n")
    assert errors == ["Ligne 3 : YAML illisible : liste non fermée (« , » ou « ] » attendu)"]
    assert [(issue.path, issue.line) for issue in issues] == [((), 3)]


def test_a_duplicated_rule_points_at_its_second_occurrence() -> None:
    first_rule = DEFAULT.split("\nrules:\n", 1)[1].split("\n  - id: ", 1)[0]
    doubled = DEFAULT.replace("\nrules:\n", "\nrules:\n" + first_rule + "\n", 1)
    _, issues = _issues(doubled)
    assert [issue.message for issue in issues] == ["la règle « embeddings-for-all » est déclarée deux fois"]
    assert [issue.path for issue in issues] == [("rules", 1, "id")]
