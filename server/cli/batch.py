"""`ariane batch run FILE --template T (--model M | --merge)`: batch letters from a script.

The command runs Ariane in process and goes through `/api/batches` as the user, exactly as the web
page does: the table is read and checked, the template checked against its columns, the model
against the policy for the table's class, then the batch runs (each row one `/v1` call under the
user) and its outcome is printed; `--output` writes the letters that may leave (CSV, XLSX, DOCX or a
ZIP of DOCX files). With review required (the default), nothing leaves from the command line: review
the rows in the web app, or pass `--no-review` when the template does not need it.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from server.cli.main import CliError, _configure_logging, _settings, database
from server.cli.texts import CLI_TEXTS, say

batch_app = typer.Typer(help="Batch letters (Courriers en série).", no_args_is_help=True)
_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".docx": "docx", ".zip": "zip"}


@batch_app.command("run")
def run(
    table: Annotated[
        Path, typer.Argument(help="The table: a CSV or XLSX file.", exists=True, dir_okay=False)
    ],
    template: Annotated[
        Path,
        typer.Option(help="The letter skeleton, a UTF-8 text file with {{colonne}} fields.", exists=True),
    ],
    model: Annotated[str | None, typer.Option(help="A model the policy allows for this table.")] = None,
    merge: Annotated[bool, typer.Option("--merge", help="Mail-merge without a model.")] = False,
    instruction: Annotated[str, typer.Option(help="The instruction to the model ({{colonne}} fields).")] = "",
    data_class: Annotated[
        str | None,
        typer.Option(help="The table's class (public, internal, personal, health); default: detected."),
    ] = None,
    user: Annotated[str | None, typer.Option(help="Run as this user of the local directory.")] = None,
    token: Annotated[str | None, typer.Option(help="Run with this bearer token (any issuer).")] = None,
    review: Annotated[bool, typer.Option(help="Letters leave only once reviewed (web app).")] = True,
    output: Annotated[
        Path | None, typer.Option(help="Write the letters that may leave (.csv .xlsx .docx .zip).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the batch as JSON.")] = False,
) -> None:
    """Run a batch of letters as a user; exit 1 if any row failed or was refused."""
    if (model is None) == (not merge):
        raise CliError("choose --model M or --merge (mail-merge without a model)")
    if output is not None and output.suffix.lower() not in _FORMATS:
        raise CliError("--output must end in .csv, .xlsx, .docx or .zip")
    settings = _settings()
    _configure_logging("warning")
    choices = {
        "body": template.read_text(encoding="utf-8"),
        "instruction": instruction,
        "mode": "merge" if merge else "model",
        "model": model,
        "review_required": review,
    }
    with database(settings) as ready:
        batch, exported = asyncio.run(_run(ready, table, choices, data_class, user, token, output))
    if as_json:
        typer.echo(json.dumps(batch, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(_summary(batch))
    if exported:
        typer.echo(exported)
    progress = batch["progress"]
    if batch["status"] != "completed" or progress["failed"] or progress["refused"]:
        raise typer.Exit(1)


async def _run(
    settings: Any,
    table: Path,
    choices: dict[str, Any],
    data_class: str | None,
    user: str | None,
    token: str | None,
    output: Path | None,
) -> tuple[dict[str, Any], str | None]:
    from server.cli.inprocess import in_process

    refusal: CliError | None = None
    batch: dict[str, Any] = {}
    exported = None
    async with in_process(settings) as ariane:
        if token is None:
            if user is None:
                raise CliError("say who runs the batch: --user EMAIL (local directory) or --token TOKEN")
            token = ariane.token_for(user)
        headers = {"Authorization": f"Bearer {token}"}
        client = ariane.client
        form = {"data_class": data_class} if data_class else {}
        created = await client.post(
            "/api/batches", headers=headers, files={"file": (table.name, table.read_bytes())}, data=form
        )
        refusal = _refusal(created)
        if refusal is None:
            batch_id = created.json()["id"]
            changes = {k: v for k, v in choices.items() if v is not None}
            refusal = _refusal(await client.patch(f"/api/batches/{batch_id}", headers=headers, json=changes))
        if refusal is None:
            refusal = _refusal(await client.post(f"/api/batches/{batch_id}/launch", headers=headers))
        if refusal is None:
            batch = await _follow(ariane, client, headers, batch_id)
            if output is not None:
                fmt = _FORMATS[output.suffix.lower()]
                response = await client.get(
                    f"/api/batches/{batch_id}/export", params={"format": fmt}, headers=headers
                )
                if response.status_code == 200:
                    output.write_bytes(response.content)
                    exported = say("batch.written", output=output)
                else:
                    exported = say("batch.not_written", detail=response.json()["detail"])
    if refusal is not None:
        raise refusal
    return batch, exported


async def _follow(ariane: Any, client: Any, headers: dict[str, str], batch_id: str) -> dict[str, Any]:
    runs = ariane.app.state.batch_runs
    waiting = asyncio.ensure_future(runs.wait_idle())
    while not waiting.done():
        await asyncio.wait({waiting}, timeout=2.0)
        state = (await client.get(f"/api/batches/{batch_id}", headers=headers)).json()
        progress = state["progress"]
        print("\r" + say("batch.progress", **progress), end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return dict((await client.get(f"/api/batches/{batch_id}", headers=headers)).json())


def _refusal(response: Any) -> CliError | None:
    if response.status_code < 400:
        return None
    try:
        detail = response.json().get("detail", response.text)
    except ValueError:
        detail = response.text
    return CliError(str(detail))


def _summary(batch: dict[str, Any]) -> str:
    progress = batch["progress"]
    key = f"batch.status.{batch['status']}"
    status = say(key) if key in CLI_TEXTS.entries else batch["status"]
    return say("batch.summary", batch=batch["id"], status=status, **progress)
