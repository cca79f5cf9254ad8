"""`ariane tools ...`: the MCP tool registry from the command line, as a user, through `/api/tools`.

Like `ariane ask`, each command runs Ariane in process (nothing to start first) and acts as the user
given by `--user` (minted by the local identity provider) or `--token`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

import typer

from server.cli.texts import say

tools_app = typer.Typer(help="MCP tool registry: register, review, approve, remove.", no_args_is_help=True)

User = Annotated[str | None, typer.Option("--user", help="Act as this user of the local directory.")]
Token = Annotated[str | None, typer.Option("--token", help="Act with this bearer token (any issuer).")]
Json = Annotated[bool, typer.Option("--json", help="Print the API's JSON answer.")]
Name = Annotated[str, typer.Argument(help="Name of the server in the registry.")]


def _api(user: str | None, token: str | None, method: str, path: str, body: Any = None) -> Any:
    from server.cli.inprocess import in_process
    from server.cli.main import CliError, _configure_logging, _settings, database

    if not (token or user):
        raise CliError("say who acts: --user EMAIL (local directory) or --token TOKEN")

    async def call(settings: Any) -> Any:
        async with in_process(settings) as ariane:
            bearer = token or ariane.token_for(str(user))
            response = await ariane.client.request(
                method, path, json=body, headers={"Authorization": f"Bearer {bearer}"}
            )
        if response.status_code >= 400:
            error = response.json()
            findings = "".join(f"\n  [{f['tool']}] {f['detail']}" for f in error.get("findings") or [])
            raise CliError(f"{error.get('detail')} ({error.get('error')}){findings}")
        return response.json() if response.content else None

    _configure_logging("warning")
    with database(_settings(gateway_embeddings_preload=False)) as ready:
        return asyncio.run(call(ready))


def _print_server(server: dict[str, Any]) -> None:
    declared = f"{server['package']}=={server['package_version']}" if server["package"] else server["command"]
    where = server["url"] or " ".join([declared or "", *server["args"]])
    typer.echo(f"{server['name']}  {server['status']}  {server['transport']}  {where}".rstrip())
    typer.echo(
        say(
            "tools.server_facts",
            protocol=server["protocol_version"],
            health=server["health"],
            by=server["registered_by"],
            hosting=server["hosting"],
            data_class=server["data_class"],
            isolation=server["isolation"],
        )
    )
    if server["transport"] != "builtin" and not server["inspected_at"]:
        typer.echo(say("tools.not_inspected"))
    for tool in server["tools"]:
        reason = f" ({tool['status_reason']})" if tool["status_reason"] else ""
        held = " confirmation" if tool["confirmation"] else ""
        typer.echo(f"  - {tool['name']}  {tool['status']}{reason}{held}  {tool['digest'][:19]}…")
        for finding in tool["findings"]:
            typer.echo(f"      {finding['severity']}: {finding['detail']}")
        if tool["diff"]:
            typer.echo("      " + tool["diff"].replace("\n", "\n      ").rstrip())


@tools_app.command("register")
def register(
    name: Name,
    url: Annotated[str | None, typer.Option(help="Streamable HTTP endpoint of the server.")] = None,
    bearer: Annotated[str | None, typer.Option(help="Bearer token for the URL (stored encrypted).")] = None,
    oauth_client_id: Annotated[str | None, typer.Option(help="OAuth client credentials: client id.")] = None,
    oauth_client_secret: Annotated[str | None, typer.Option(help="OAuth client secret (encrypted).")] = None,
    oauth_issuer: Annotated[str | None, typer.Option(help="OAuth authorization server (issuer URL).")] = None,
    oauth_scope: Annotated[str | None, typer.Option(help="OAuth scopes to ask for.")] = None,
    package: Annotated[str | None, typer.Option(help="Python package of a stdio server (PyPI name).")] = None,
    version: Annotated[str | None, typer.Option(help="Exact version of --package.")] = None,
    command: Annotated[
        str | None, typer.Option(help="Name of a command administrators allowed (ARIANE_REGISTRY_COMMANDS).")
    ] = None,
    arg: Annotated[list[str] | None, typer.Option(help="Argument of the stdio server (repeatable).")] = None,
    network: Annotated[bool, typer.Option(help="The stdio server may use the network.")] = False,
    hosting: Annotated[str, typer.Option(help="hds, on_prem, eu_cloud or non_eu.")] = "on_prem",
    data_class: Annotated[
        str, typer.Option(help="Most sensitive data it may receive: public, internal, personal, health.")
    ] = "public",
    env: Annotated[
        list[str] | None, typer.Option(help="K=V environment of the command (repeatable).")
    ] = None,
    roles: Annotated[str, typer.Option(help="Comma-separated roles that may use it.")] = "staff",
    services: Annotated[str, typer.Option(help="Comma-separated services that may use it (all).")] = "",
    assistants: Annotated[str, typer.Option(help="Comma-separated assistants granted its tools.")] = "",
    user: User = None,
    token: Token = None,
    as_json: Json = False,
) -> None:
    """Declare an MCP server (URL, package and version, or allowed command); nothing runs before review."""
    from server.cli.main import CliError

    pairs = [item.partition("=") for item in env or []]
    if any(not sep for _, sep, _ in pairs):
        raise CliError("--env takes K=V")
    body: dict[str, Any] = {
        "name": name,
        "url": url,
        "package": package,
        "version": version,
        "command": command,
        "hosting": hosting,
        "data_class": data_class,
        "roles": [role for role in roles.split(",") if role],
        "services": [service for service in services.split(",") if service],
        "assistants": [assistant for assistant in assistants.split(",") if assistant],
    }
    if arg:
        body["args"] = list(arg)
    if network:
        body["network"] = True
    if bearer:
        body["bearer"] = bearer
    if oauth_client_id or oauth_client_secret:
        body["oauth"] = {
            "client_id": oauth_client_id,
            "client_secret": oauth_client_secret,
            "issuer": oauth_issuer,
            "scope": oauth_scope,
        }
    if pairs:
        body["env"] = {key: value for key, _, value in pairs}
    server = _api(user, token, "POST", "/api/tools", body)
    if as_json:
        typer.echo(json.dumps(server, ensure_ascii=False, indent=2))
    else:
        _print_server(server)


@tools_app.command("list")
def list_servers(user: User = None, token: Token = None, as_json: Json = False) -> None:
    """Every server of the registry with its status and health."""
    servers = _api(user, token, "GET", "/api/tools")
    if as_json:
        typer.echo(json.dumps(servers, ensure_ascii=False, indent=2))
        return
    for server in servers:
        typer.echo(
            f"{server['name']:<16} {server['status']:<15} {server['transport']:<8} {server['health']:<8} "
            f"{server['active_tools']}/{server['tools']} outils actifs"
        )


def _one(verb: str, method: str, help_text: str) -> None:
    def command(name: Name, user: User = None, token: Token = None, as_json: Json = False) -> None:
        path = f"/api/tools/{name}" + (f"/{verb}" if verb else "")
        result = _api(user, token, method, path)
        if as_json and result is not None:
            typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        elif result is None:
            typer.echo(say("tools.removed", name=name))
        elif "tools" in result:
            _print_server(result)
        else:
            typer.echo(json.dumps(result, ensure_ascii=False))

    command.__doc__ = help_text
    tools_app.command(verb or ("show" if method == "GET" else "remove"))(command)


_one("", "GET", "A server with its tools, findings and the diff of a changed definition.")
_one("inspect", "POST", "Start the reviewed declaration in its sandbox and list its tools (administrators).")


@tools_app.command("approve")
def approve(
    name: Name,
    read_only: Annotated[
        list[str] | None, typer.Option("--read-only", help="A tool judged read-only (repeatable).")
    ] = None,
    not_destructive: Annotated[
        list[str] | None,
        typer.Option("--not-destructive", help="A tool judged unable to delete or overwrite (repeatable)."),
    ] = None,
    user: User = None,
    token: Token = None,
    as_json: Json = False,
) -> None:
    """Approve an inspected server (an administrator other than its registrant), judging its tools."""
    judged = set(read_only or []) | set(not_destructive or [])
    body = {
        "tools": {
            tool: {"read_only": tool in (read_only or []), "destructive": tool not in (not_destructive or [])}
            for tool in sorted(judged)
        }
    }
    result = _api(user, token, "POST", f"/api/tools/{name}/approve", body)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_server(result)


_one("suspend", "POST", "Suspend a server until it is approved again.")
_one("check", "POST", "Health check: connect, list the tools, suspend those whose definition changed.")
_one("", "DELETE", "Remove a registered server and its tools.")
