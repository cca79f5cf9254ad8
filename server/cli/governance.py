"""`ariane governance export`: the certification pack, written to a file, from a script.

The command runs Ariane in process and reads `/api/governance/pack` as the user, exactly as the web
page's button does (same roles, same signature with the audit anchor key).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from server.cli.main import CliError, _configure_logging, _settings, database
from server.cli.texts import say

governance_app = typer.Typer(help="AI governance (Gouvernance).", no_args_is_help=True)


@governance_app.command("export")
def export(
    output: Annotated[Path, typer.Option(help="Where to write the pack (HTML).")] = Path(
        "dossier-certification-ia.html"
    ),
    user: Annotated[str | None, typer.Option(help="As this user of the local directory.")] = None,
    token: Annotated[str | None, typer.Option(help="With this bearer token (any issuer).")] = None,
) -> None:
    """Write the certification pack (map, sheets, evaluations, shadow AI, audit status), signed."""
    if (user is None) == (token is None):
        raise CliError("say who exports the pack: --user EMAIL (local directory) or --token TOKEN")
    settings = _settings()
    _configure_logging("warning")
    with database(settings) as ready:
        html = asyncio.run(_pack(ready, user, token))
    output.write_text(html, encoding="utf-8")
    typer.echo(say("governance.written", output=output))


async def _pack(settings: object, user: str | None, token: str | None) -> str:
    from server.cli.inprocess import in_process

    async with in_process(settings) as ariane:  # type: ignore[arg-type]
        bearer = token or ariane.token_for(str(user))
        response = await ariane.client.get(
            "/api/governance/pack", headers={"Authorization": f"Bearer {bearer}"}
        )
    if response.status_code != 200:
        raise CliError(response.json().get("detail", say("governance.refused", status=response.status_code)))
    return str(response.text)
