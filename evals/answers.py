"""Suite « answers »: assistants built on documents through the API, asked as staff ask, scored per category.

Each assistant of the suite is created by a staff member who builds assistants, and its documents are
uploaded as a user would upload them (the tenant's files); the built-in coach keeps its seeded
documents. A case (with its earlier `turns` for a follow-up) runs in one conversation through the
chat API. Reported per split (dev: tune on it; test: report it) and per category: correct with
verified citations, wrong, false refusal, and for out-of-scope questions, declined.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from agents.folding import fold
from evals.scorers import document_citation_is_valid
from tools.tenant.graph import load_content

BUILDER = "sophie.girard"  # a tool_developer: may create assistants and fill their collections
REFUSAL = "les documents de reference ne couvrent pas cette question"
OUTCOMES = ("correct", "wrong", "false_refusal", "declined", "answered_out_of_scope", "failed")


async def create_assistants(ariane: Any, assistants: dict[str, Any]) -> dict[str, str]:
    """Create the suite's assistants and upload their documents; suite name → assistant id."""
    headers = _headers(ariane, BUILDER)
    files = {key[1]: document for key, document in load_content(None).documents.items()}
    ids = {}
    for name, spec in assistants.items():
        if spec.get("builtin"):
            ids[name] = str(spec["builtin"])
            continue
        body = {
            "id": f"eval-{name}",
            "name": spec["name"],
            "description": f"Répond à partir de : {', '.join(spec['documents'])}.",
            "tools": ["knowledge"],
            "workflows": ["knowledge_question"],
            "contact": spec.get("contact", ""),
        }
        created = await ariane.client.post("/api/assistants", json=body, headers=headers)
        created.raise_for_status()
        assistant = created.json()["id"]
        for item in spec["documents"]:
            document = files[item]
            upload = await ariane.client.post(
                f"/api/knowledge/{assistant}/documents",
                files={"file": (document.item.name, document.content)},
                headers=headers,
            )
            upload.raise_for_status()
        ids[name] = assistant
    return ids


def _headers(ariane: Any, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ariane.token_for(user + '@chru-exemple.fr')}"}


async def run_case(ariane: Any, case: dict[str, Any], assistant: str) -> dict[str, Any]:
    """The case's earlier turns then its message, in one new thread; its last run, scored."""
    headers = _headers(ariane, case["user"])
    thread = (
        await ariane.client.post("/api/threads", json={"assistant_id": assistant}, headers=headers)
    ).json()
    run: dict[str, Any] = {}
    for message in [*case.get("turns", []), case["message"]]:
        response = await ariane.client.post(
            f"/api/threads/{thread['id']}/runs", json={"message": message}, headers=headers
        )
        run_id = response.headers["x-ariane-run-id"]
        run = (await ariane.client.get(f"/api/runs/{run_id}", headers=headers)).json()
    outcome = score(case, run)
    return {
        "id": case["id"],
        "split": case["split"],
        "category": case["category"],
        "assistant": assistant,
        "outcome": outcome,
        "citations_valid": _valid_share(run),
        "mode": run.get("mode"),
        "fallback": run.get("fallback"),
        "answer": run.get("answer"),
        "citations": run.get("citations"),
        "error": run.get("error"),
        "run_id": run.get("id"),
    }


def _valid_share(run: dict[str, Any]) -> float | None:
    citations = run.get("citations") or []
    if not citations:
        return None
    return sum(document_citation_is_valid(citation) for citation in citations) / len(citations)


def score(case: dict[str, Any], run: dict[str, Any]) -> str:
    """One of OUTCOMES for the case's last run."""
    if run.get("status") != "done":
        return "failed"
    answer = fold(run.get("answer") or "")
    citations = run.get("citations") or []
    refused = REFUSAL in answer or not citations
    if case["category"] == "out_of_scope":
        return "declined" if refused and not citations else "answered_out_of_scope"
    if refused:
        return "false_refusal"
    verified = all(document_citation_is_valid(citation) for citation in citations)
    found = all(any(fold(option) in answer for option in group) for group in case.get("expect", []))
    return "correct" if verified and found else "wrong"


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per split and category: counts of each outcome, and the rates the targets are about."""
    result: dict[str, Any] = {}
    for split in ("dev", "test"):
        mine = [row for row in rows if row["split"] == split]
        categories: dict[str, dict[str, int]] = {}
        for row in mine:
            categories.setdefault(row["category"], Counter())[row["outcome"]] += 1  # type: ignore[index]
        in_scope = [row for row in mine if row["category"] != "out_of_scope"]
        out = [row for row in mine if row["category"] == "out_of_scope"]
        follow = [row for row in mine if row["category"] == "follow_up"]
        shares = [row["citations_valid"] for row in mine if row["citations_valid"] is not None]
        result[split] = {
            "categories": {name: dict(counts) for name, counts in sorted(categories.items())},
            "in_scope_correct": _rate(in_scope, "correct"),
            "wrong": sum(row["outcome"] == "wrong" for row in mine),
            "out_of_scope_declined": _rate(out, "declined"),
            "follow_up_correct": _rate(follow, "correct"),
            "citations_verbatim": round(sum(shares) / len(shares), 3) if shares else None,
        }
    return result


def _rate(rows: list[dict[str, Any]], outcome: str) -> float | None:
    return round(sum(row["outcome"] == outcome for row in rows) / len(rows), 3) if rows else None


def print_summary(name: str, mode: str, rows: list[dict[str, Any]], totals: dict[str, Any]) -> None:
    """The per-category tables of both splits, then the failing cases of dev (test ones are not shown)."""
    for split in ("dev", "test"):
        block = totals[split]
        print(f"\nSuite {name} ({mode}), split {split}")
        print(
            f"{'category':<16}{'n':>4}{'correct':>9}{'wrong':>7}{'refused':>9}{'declined':>10}{'answered':>10}"
        )
        for category, counts in block["categories"].items():
            n = sum(counts.values())
            print(
                f"{category:<16}{n:>4}{counts.get('correct', 0):>9}{counts.get('wrong', 0):>7}"
                f"{counts.get('false_refusal', 0):>9}{counts.get('declined', 0):>10}"
                f"{counts.get('answered_out_of_scope', 0):>10}"
            )
        print(
            f"in scope correct {block['in_scope_correct']}, wrong {block['wrong']}, out of scope declined "
            f"{block['out_of_scope_declined']}, follow-ups {block['follow_up_correct']}, "
            f"citations verbatim {block['citations_verbatim']}"
        )
    misses = [row for row in rows if row["split"] == "dev" and row["outcome"] not in ("correct", "declined")]
    for row in misses:
        print(f"  dev miss: {row['id']} → {row['outcome']}")
