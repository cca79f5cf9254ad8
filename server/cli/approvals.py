"""`ariane approvals list|approve|reject`: decide robot launches through the running server's API.

Decisions go to the running server (not an in-process copy): it is the process that runs the job and
reports the decision in the requester's thread.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import httpx
import typer

from server.cli.main import CliError, _settings, tenant_settings_for
from server.cli.texts import language_header

approvals_app = typer.Typer(help="Robot launch approvals (the running server's API).", no_args_is_help=True)

User = Annotated[str | None, typer.Option("--user", help="Act as this user of the local directory.")]
Token = Annotated[str | None, typer.Option("--token", help="Act with this bearer token (any issuer).")]
Url = Annotated[str | None, typer.Option("--url", help="Ariane's URL (default: the configured one).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _token(user: str | None, token: str | None) -> str:
    if token:
        return token
    if not user:
        raise CliError("say who acts: --user EMAIL (local directory) or --token TOKEN")
    from tools.tenant.app import build_identity_provider
    from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID

    settings = _settings()
    if not settings.embedded_identity:
        raise CliError("--user needs the local identity provider; pass --token instead")
    provider = build_identity_provider(tenant_settings_for(settings))
    found = provider.directory.user_by_mail(user)
    if found is None:
        raise CliError(f"unknown user {user!r}: not in the local directory")
    return str(
        provider.tokens.access_token(
            found, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
        )
    )


def _call(method: str, path: str, user: str | None, token: str | None, url: str | None, **kwargs: Any) -> Any:
    base = (url or _settings().internal_url).rstrip("/")
    headers = {"Authorization": f"Bearer {_token(user, token)}", **language_header()}
    try:
        response = httpx.request(method, f"{base}{path}", headers=headers, timeout=30, **kwargs)
    except httpx.TransportError as exc:
        raise CliError(
            f"Ariane is not reachable at {base} ({type(exc).__name__}): start it with `ariane up`"
        ) from exc
    body = response.json() if response.content else {}
    if response.status_code >= 400:
        raise CliError(f"{body.get('detail', body)} ({body.get('error', response.status_code)})")
    return body


def _line(approval: dict[str, Any]) -> str:
    inputs = json.dumps(approval["inputs"], ensure_ascii=False, sort_keys=True)
    job = f"  job {approval['job_id']}" if approval.get("job_id") else ""
    return (
        f"{approval['id']}  {approval['status']:<8}  {approval['robot_id']}  {inputs}  "
        f"by {approval['requester']['email']}  sha256:{approval['digest'][:12]}{job}"
    )


@approvals_app.command("list")
def list_approvals(user: User = None, token: Token = None, url: Url = None, as_json: AsJson = False) -> None:
    """Approvals you may give (pending), with the exact inputs and their digest."""
    approvals = _call("GET", "/api/approvals", user, token, url)
    if as_json:
        typer.echo(json.dumps(approvals, ensure_ascii=False, indent=2))
        return
    typer.echo("\n".join(_line(a) for a in approvals) if approvals else "No approval waiting for you.")


@approvals_app.command("approve")
def approve(
    approval: Annotated[str, typer.Argument(help="Approval id.")],
    user: User = None, token: Token = None, url: Url = None, as_json: AsJson = False,
) -> None:  # fmt: skip
    """Approve: the robot runs once with exactly the listed inputs."""
    decided = _call("POST", f"/api/approvals/{approval}/approve", user, token, url)
    typer.echo(json.dumps(decided, ensure_ascii=False, indent=2) if as_json else _line(decided))


@approvals_app.command("reject")
def reject(
    approval: Annotated[str, typer.Argument(help="Approval id.")],
    reason: Annotated[str | None, typer.Option(help="Reason shown to the requester.")] = None,
    user: User = None, token: Token = None, url: Url = None, as_json: AsJson = False,
) -> None:  # fmt: skip
    """Reject, with an optional reason."""
    decided = _call("POST", f"/api/approvals/{approval}/reject", user, token, url, json={"reason": reason})
    typer.echo(json.dumps(decided, ensure_ascii=False, indent=2) if as_json else _line(decided))
