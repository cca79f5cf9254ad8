"""`ariane automations list|show|create|pause|resume|run-now|approve|reject`: through the server's API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from server.cli.approvals import AsJson, Token, Url, User, _call
from server.cli.main import CliError

automations_app = typer.Typer(
    help="Mail triggers and schedules (the running server's API).", no_args_is_help=True
)
Id = Annotated[str, typer.Argument(help="Automation id.")]


def _line(automation: dict[str, Any]) -> str:
    watched = automation["mailbox"] if automation["kind"] == "mail" else f"« {automation['cron']} »"
    following = f"  next {automation['next_slot']}" if automation.get("next_slot") else ""
    does = automation["robot_id"] or automation.get("action", "robot")  # a robot, or `chat` / `mail`
    return (
        f"{automation['id']}  {automation['status']:<8}  {automation['kind']:<8}  {watched}  → "
        f"{does}  for {automation['owner']['email']}  {automation['name']}{following}"
    )


def _firing(firing: dict[str, Any]) -> str:
    job = f"  job {firing['job_id']}" if firing.get("job_id") else ""
    return f"  {firing['created_at']}  {firing['origin']:<8}  {firing['status']:<17}  {firing['key']}{job}"


def _echo(automation: dict[str, Any], as_json: bool) -> None:
    typer.echo(json.dumps(automation, ensure_ascii=False, indent=2) if as_json else _line(automation))


@automations_app.command("list")
def list_automations(
    user: User = None, token: Token = None, url: Url = None, as_json: AsJson = False
) -> None:
    """The automations you may see, with their state and next slot."""
    automations = _call("GET", "/api/automations", user, token, url)
    if as_json:
        typer.echo(json.dumps(automations, ensure_ascii=False, indent=2))
        return
    typer.echo("\n".join(_line(a) for a in automations) if automations else "No automation.")


@automations_app.command("show")
def show(
    automation: Id, user: User = None, token: Token = None, url: Url = None, as_json: AsJson = False
) -> None:
    """One automation and its last firings."""
    found = _call("GET", f"/api/automations/{automation}", user, token, url)
    if as_json:
        _echo(found, True)
        return
    typer.echo("\n".join([_line(found), *(_firing(f) for f in found["last_firings"])]))


@automations_app.command("create")
def create(
    source: Annotated[
        str, typer.Argument(help="A YAML or JSON file of the automation (`-`: standard input).")
    ],
    user: User = None,
    token: Token = None,
    url: Url = None,
    as_json: AsJson = False,
) -> None:
    """Create an automation as `POST /api/automations` takes it; it waits for its approver."""
    text = sys.stdin.read() if source == "-" else _read(Path(source))
    try:
        body = yaml.safe_load(text)  # YAML, of which JSON is a part
    except yaml.YAMLError as exc:
        raise CliError(f"{source}: not YAML or JSON ({exc.__class__.__name__})") from exc
    if not isinstance(body, dict):
        raise CliError(f"{source}: an automation is a mapping (name, kind, action…)")
    _echo(_call("POST", "/api/automations", user, token, url, json=body), as_json)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot be read ({exc.__class__.__name__})") from exc


@automations_app.command("pause")
def pause(
    automation: Id, user: User = None, token: Token = None, url: Url = None, as_json: AsJson = False
) -> None:
    """Pause: nothing fires until it is resumed."""
    _echo(_call("POST", f"/api/automations/{automation}/pause", user, token, url), as_json)


@automations_app.command("resume")
def resume(
    automation: Id, user: User = None, token: Token = None, url: Url = None, as_json: AsJson = False
) -> None:
    """Resume a paused automation."""
    _echo(_call("POST", f"/api/automations/{automation}/resume", user, token, url), as_json)


@automations_app.command("run-now")
def run_now(
    automation: Id, user: User = None, token: Token = None, url: Url = None, as_json: AsJson = False
) -> None:
    """Fire a schedule now (its robot runs as at a slot)."""
    firing = _call("POST", f"/api/automations/{automation}/run", user, token, url)
    typer.echo(json.dumps(firing, ensure_ascii=False, indent=2) if as_json else _firing(firing).strip())


@automations_app.command("approve")
def approve(
    automation: Id, user: User = None, token: Token = None, url: Url = None, as_json: AsJson = False
) -> None:
    """Approve a pending automation (one of its robot's approvers): it becomes active."""
    _echo(_call("POST", f"/api/automations/{automation}/approve", user, token, url), as_json)


@automations_app.command("reject")
def reject(
    automation: Id, user: User = None, token: Token = None, url: Url = None, as_json: AsJson = False
) -> None:
    """Reject a pending automation."""
    _echo(_call("POST", f"/api/automations/{automation}/reject", user, token, url), as_json)
