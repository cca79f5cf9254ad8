"""`ariane audit runs | show RUN | verify [RUN] | replay RUN [--model M] | purge`: the auditor's view.

The command line acts as the operator (who holds the database): its reads are recorded in the audit
store like an auditor's, under the name `ligne de commande`. A what-if replay calls the gateway as the
run's own user (local directory), so that the other model is one *they* were allowed. `purge` needs
no app: it opens the database alone (`server/cli/retention.py`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from server.audit.schemas import RunFilters
from server.auth.roles import Role
from server.auth.schemas import User
from server.cli.main import CliError, _configure_logging, _settings, database
from server.cli.texts import cli_language, say, shown
from server.errors import ApiError

if TYPE_CHECKING:
    from server.audit.service import AuditService

audit_app = typer.Typer(help="Audit trail: runs, verification, replay, retention.", no_args_is_help=True)
T = TypeVar("T")

OPERATOR = User(
    id="cli",
    issuer="ariane-cli",
    subject="cli",
    email="ligne-de-commande@ariane.local",
    display_name="ligne de commande",
    roles=[Role.AUDITOR],
    token="",
)


def _with_service(work: Callable[[AuditService, Any], Awaitable[T]]) -> T:
    from server.cli.inprocess import in_process

    settings = _settings()
    _configure_logging("warning")

    async def go(ready: Any) -> T:
        async with in_process(ready) as ariane:
            try:
                return await work(ariane.app.state.audit, ariane)
            except ApiError as exc:
                raise CliError(f"{shown(exc.text or exc.detail)} ({exc.code})") from exc

    with database(settings) as ready:
        return asyncio.run(go(ready))


@audit_app.command("runs")
def runs(
    user: Annotated[str | None, typer.Option(help="Email (or part of it) of the user.")] = None,
    assistant: Annotated[str | None, typer.Option(help="Assistant id.")] = None,
    model: Annotated[str | None, typer.Option(help="Runs that used this model.")] = None,
    tool: Annotated[str | None, typer.Option(help="Runs that called this tool (server.tool).")] = None,
    since: Annotated[datetime | None, typer.Option(help="Runs from this instant.")] = None,
    refusals: Annotated[bool, typer.Option(help="Only runs with a policy refusal.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many runs.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List recorded runs, newest first."""
    filters = RunFilters(
        user=user, assistant=assistant, model=model, tool=tool, since=since, refusals=refusals, limit=limit
    )
    found = _with_service(lambda service, _: service.runs(OPERATOR, filters))
    if as_json:
        typer.echo(json.dumps([run.model_dump() for run in found], ensure_ascii=False, indent=2))
        return
    for run in found:
        tools = ", ".join(run.tools) or "—"
        typer.echo(
            f"{run.run_id}  {run.started_at[:19]}  {run.status:<7} {run.user_email:<34} "
            f"{run.assistant_id}@{run.assistant_version}  {run.workflow or '—'}  "
            + say("audit.run_line_tools", tools=tools)
        )
    if not found:
        typer.echo(say("audit.no_runs"))


@audit_app.command("show")
def show(
    run_id: Annotated[str, typer.Argument(help="The run's id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a run: who, when, the steps with their inputs and outputs, the trace."""
    detail = _with_service(lambda service, _: service.run(OPERATOR, run_id))
    if as_json:
        typer.echo(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    typer.echo(render_run(detail))


def _launch_lines(launch: dict[str, Any] | None) -> list[str]:
    """A robot exchange's resumed run: the robot, who approved, the exact inputs, the job."""
    if not launch:
        return []
    robot, approval, job, actor = launch["robot"], launch["approval"], launch.get("job"), launch["actor"]
    approver = approval.get("approver") or {}
    automated = actor["kind"] == "automation"
    by = say("audit.by_automation", name=actor.get("name")) if automated else say("audit.by_conversation")
    inputs = json.dumps(launch.get("inputs"), ensure_ascii=False)
    return [
        say("audit.launch_robot", robot=robot["id"], version=robot["version"], by=by),
        say(
            "audit.launch_decision",
            status=approval["status"],
            approver=approver.get("email", "—"),
            decided_at=approval.get("decided_at"),
        ),
        say("audit.launch_inputs", inputs=inputs, digest=launch["digest"]),
        say("audit.launch_job", job=job["id"], status=job["status"]) if job else say("audit.launch_no_job"),
    ]


def render_run(detail: dict[str, Any]) -> str:
    """A run for a person: summary, steps, spans as an indented waterfall."""
    summary = detail["summary"]
    lines = [
        say("audit.run_title", run=summary["run_id"], status=summary["status"]),
        say("audit.run_user", name=summary["user_name"], email=summary["user_email"]),
        say(
            "audit.run_assistant",
            assistant=summary["assistant_id"],
            version=summary["assistant_version"],
            workflow=summary["workflow"],
        ),
        say("audit.run_clock", now=detail["now"], policy=summary["policy_version"]),
        say("audit.run_message", message=detail["message"]),
        "",
        say("audit.steps"),
    ]
    for step in detail["steps"]:
        if step["kind"] == "tool_call":
            ok = say("audit.step_ok") if step.get("outcome", {}).get("ok") else say("audit.step_error")
            arguments = json.dumps(step.get("arguments"), ensure_ascii=False)
            tool = f"{step['server']}.{step['tool']}"
            lines.append(
                say("audit.step_tool", step=step["step"], tool=tool, arguments=arguments, outcome=ok)
            )
        elif step["kind"] == "model_call":
            request = step["request"]
            lines.append(
                say(
                    "audit.step_model",
                    step=step["step"],
                    method=request["method"],
                    path=request["path"],
                    status=step["response"]["status"],
                )
            )
    lines += _launch_lines(detail.get("launch"))
    lines += ["", say("audit.trace")]
    spans = detail["spans"]
    if spans:
        origin = min(span["start_ns"] for span in spans)
        depth = _depths(spans)
        for span in spans:
            offset = (span["start_ns"] - origin) / 1e6
            duration = (span["end_ns"] - span["start_ns"]) / 1e6
            policy = span["attributes"].get("ariane.policy.decision")
            extra = say("audit.span_policy", decision=policy) if policy else ""
            lines.append(
                f"  {offset:9.1f} ms {'  ' * depth[span['span_id']]}{span['name']} ({duration:.1f} ms){extra}"
            )
    outcome = detail.get("outcome") or {}
    lines += ["", say("audit.answer"), str(outcome.get("answer") or "—")]
    return "\n".join(lines)


def _depths(spans: list[dict[str, Any]]) -> dict[str, int]:
    parents = {span["span_id"]: span["parent_span_id"] for span in spans}
    depths: dict[str, int] = {}
    for span_id in parents:
        depth, current = 0, parents.get(span_id)
        while current in parents and depth < 50:
            depth, current = depth + 1, parents.get(current)
        depths[span_id] = depth
    return depths


@audit_app.command("verify")
def verify(run_id: Annotated[str | None, typer.Argument(help="Verify this run only.")] = None) -> None:
    """Recompute the hash chains (and check the signed anchors); exit 1 on any problem."""
    report = _with_service(lambda service, _: service.verify(OPERATOR, run_id))
    if report.ok:
        typer.echo(say("audit.verified", records=report.records, anchors=report.anchors, scope=report.scope))
        return
    typer.echo(say("audit.verify_failed", scope=report.scope, count=len(report.problems)))
    for problem in report.problems:
        typer.echo(say("audit.verify_problem", kind=problem.kind, seq=problem.seq, detail=problem.detail))
    raise typer.Exit(1)


@audit_app.command("replay")
def replay(
    run_id: Annotated[str, typer.Argument(help="The run to replay.")],
    model: Annotated[str | None, typer.Option(help="What-if: replay live with this (allowed) model.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Replay a run with the recorded answers: « identique » or the first divergence; exit 1 on divergence."""

    async def work(service: AuditService, ariane: Any) -> dict[str, Any]:
        token = ""
        if model is not None:
            email = (await service.run(OPERATOR, run_id))["summary"]["user_email"]
            token = ariane.token_for(email)
        # The report's sentences in the command's language, like what it prints around them.
        operator = OPERATOR.model_copy(update={"language": cli_language()})
        return await service.replay(operator, run_id, model, token=token)

    report = _with_service(work)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(render_replay(report))
    if report["mode"] == "exact" and report["status"] != "identique":
        raise typer.Exit(1)


def render_replay(report: dict[str, Any]) -> str:
    """A replay report for a person."""
    if report.get("workflow") == "batch_letters":
        from server.batches.replay import render_batch_replay

        return render_batch_replay(report, cli_language())
    lines = []
    code = report["code"]
    if not code["same"]:
        lines.append(
            say(
                "audit.replay_other_code",
                recorded=code["recorded"].get("agents"),
                commit=code["recorded"].get("commit"),
                current=code["current"].get("agents"),
            )
        )
    if report["mode"] == "exact":
        if report["status"] == "identique":
            lines.append(say("audit.replay_identical", steps=report["steps"], ms=report["duration_ms"]))
        else:
            divergence = report["divergence"]
            lines += [
                say(
                    "audit.replay_divergence",
                    step=divergence["step"],
                    kind=divergence["kind"],
                    path=divergence["path"] or "—",
                ),
                say("audit.replay_expected", value=divergence["expected"]),
                say("audit.replay_got", value=divergence["got"]),
            ]
        return "\n".join(lines)
    answers = report["answer"]
    lines += [
        say("audit.whatif_title", model=report["model"], status=report["status"]),
        "",
        say("audit.whatif_recorded"),
        answers["recorded"],
        "",
        say("audit.whatif_replayed", model=report["model"]),
        answers["replayed"],
        "",
        say("audit.whatif_diff"),
    ]
    lines += report["diff"] or [say("audit.whatif_no_diff")]
    lines += [say("audit.whatif_note", note=note) for note in report.get("notes", [])]
    return "\n".join(lines)


@audit_app.command("purge")
def purge(
    before: Annotated[
        datetime | None,
        typer.Option(help="Delete whole runs recorded before this date (default: now - retention days)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would be deleted.")] = False,
) -> None:
    """Delete the oldest whole runs behind a signed retention cut; verification still passes after it."""
    from server.cli.retention import run_purge

    typer.echo(run_purge(_settings(), before, dry_run))
