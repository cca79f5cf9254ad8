"""Run an evaluation suite through Ariane in process, score each case, print a table, write JSON."""

from __future__ import annotations

import json
import statistics
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import yaml
from pydantic import SecretStr

from evals import answers
from evals.scorers import SCORERS
from evals.scripted_model import ScriptedChatModel
from server.cli.inprocess import in_process
from server.cli.main import database
from server.gateway.app import GatewayOptions
from server.gateway.upstream_settings import UpstreamSettings
from server.knowledge.seed import seed_builtin_knowledge
from server.settings import Settings

DATASETS = Path(__file__).resolve().parent / "datasets"
REPORTS = Path(__file__).resolve().parent / "reports"
SCRIPTED_URL = "http://scripted-model.eval/v1"


def suites() -> list[str]:
    """Names of the suites (one YAML file each)."""
    return sorted(path.stem for path in DATASETS.glob("*.yaml"))


async def run_suite(name: str, *, scripted: bool = False, split: str | None = None) -> dict[str, Any]:
    """Run the cases of suite `name` (one `split` only, if given) on a fresh database; return the report."""
    dataset = yaml.safe_load((DATASETS / f"{name}.yaml").read_text(encoding="utf-8"))
    if split:
        dataset["cases"] = [case for case in dataset["cases"] if case.get("split", split) == split]
    with tempfile.TemporaryDirectory(prefix="ariane-eval-") as folder:
        base = Settings(  # type: ignore[call-arg]
            data_dir=Path(folder),
            web_dist=Path(folder) / "web",
            fixed_now=datetime.fromisoformat(dataset["now"]),
            _env_file=None,
        )
        options = None
        if scripted:
            upstream = UpstreamSettings(base_url=SCRIPTED_URL, api_key=SecretStr("sk-eval"))
            base = base.model_copy(update={"gateway_upstreams": {"hds_vllm": upstream}})
            options = GatewayOptions(upstream_transport=httpx.ASGITransport(app=ScriptedChatModel().app))
        with database(base) as settings:
            async with in_process(settings, options) as ariane:
                if dataset.get("assistant") or dataset.get("assistants"):  # documents indexed first
                    await seed_builtin_knowledge(ariane.app.state.context.knowledge)
                if dataset.get("assistants"):
                    ids = await answers.create_assistants(ariane, dataset["assistants"])
                    rows = [
                        await answers.run_case(ariane, case, ids[case["assistant"]])
                        for case in dataset["cases"]
                    ]
                    mode = "scripted" if scripted else "extractive"
                    return {
                        "suite": name,
                        "mode": mode,
                        "cases": len(rows),
                        "rows": rows,
                        "summary": answers.summary(rows),
                    }
                assistant = dataset.get("assistant")
                rows = [await _run_case(ariane, case, assistant) for case in dataset["cases"]]
    return _report(name, "scripted" if scripted else "extractive", rows)


async def _run_case(ariane: Any, case: dict[str, Any], assistant: str | None) -> dict[str, Any]:
    """One case through the chat API, as its user, in a new thread with the suite's assistant."""
    headers = {"Authorization": f"Bearer {ariane.token_for(case['user'] + '@chru-exemple.fr')}"}
    body = {"assistant_id": assistant} if assistant else {}
    thread = (await ariane.client.post("/api/threads", json=body, headers=headers)).json()["id"]
    response = await ariane.client.post(
        f"/api/threads/{thread}/runs", json={"message": case["message"]}, headers=headers
    )
    run = (
        await ariane.client.get(f"/api/runs/{response.headers['x-ariane-run-id']}", headers=headers)
    ).json()
    return _row(case, run)


def _row(case: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    scores = {name: scorer(case, run) for name, scorer in SCORERS.items()}
    return {
        "id": case["id"],
        "kind": case["kind"],
        "split": case.get("split"),
        "run_id": run["id"],
        "mode": run["mode"],
        "scores": scores,
        "answer": run["answer"],
        "citations": run["citations"],
        "error": run["error"],
    }


def _report(name: str, mode: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    report = {"suite": name, "mode": mode, "cases": len(rows), "means": _means(rows), "rows": rows}
    splits = sorted({row["split"] for row in rows if row.get("split")})
    if splits:  # cases scored on hand-written key points: each split on its own (test is never tuned on)
        report["splits"] = {
            split: _means([row for row in rows if row.get("split") == split]) for split in splits
        }
    return report


def _means(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    means = {}
    for scorer in SCORERS:
        values = [row["scores"][scorer] for row in rows if row["scores"][scorer] is not None]
        means[scorer] = round(statistics.fmean(values), 3) if values else None
    return means


def print_report(report: dict[str, Any]) -> Path:
    """Print the table and write `evals/reports/eval-<suite>-<mode>.json`."""
    if "summary" in report:
        answers.print_summary(report["suite"], report["mode"], report["rows"], report["summary"])
        return _write(report)
    names = list(SCORERS)
    print(f"\nSuite {report['suite']} ({report['mode']}), {report['cases']} cases")
    print(f"{'case':<28}{'kind':<17}" + "".join(f"{n[:14]:>15}" for n in names))
    for row in report["rows"]:
        cells = "".join(f"{_cell(row['scores'][n]):>15}" for n in names)
        print(f"{row['id']:<28}{row['kind']:<17}{cells}")
    print(f"{'mean':<45}" + "".join(f"{_cell(report['means'][n]):>15}" for n in names))
    for split, means in report.get("splits", {}).items():
        print(f"{'mean ' + split:<45}" + "".join(f"{_cell(means[n]):>15}" for n in names))
    return _write(report)


def _write(report: dict[str, Any]) -> Path:
    REPORTS.mkdir(exist_ok=True)
    path = REPORTS / f"eval-{report['suite']}-{report['mode']}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    return path


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
