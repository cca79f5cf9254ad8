"""A registered server's declaration: the row it is stored as, and how it is started or reached.

A declaration names a URL, a package at an exact version, or a command administrators allowed; it is
stored as given (secrets sealed) and nothing is contacted. Only when a reviewer asks (inspection) or
a run uses an approved server does `connection_of` turn it into a client's connection: a URL as is
(the SSRF guard sits in the transport), a stdio program wrapped in its sandbox.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from server.auth.schemas import User
from server.errors import ApiError
from server.messages import MESSAGES
from server.registry.connect import ConnectionSpec, OAuthCredentials
from server.registry.launch import (
    AllowedCommand,
    LaunchError,
    Program,
    command_not_allowed,
    command_program,
    package_program,
)
from server.registry.runner_client import RunnerAddress
from server.registry.sandbox import Sandbox
from server.registry.schemas import RegisterIn, ServerStatus, Transport
from server.registry.sealing import SecretBox
from tools.i18n import Text


def declaration_fields(
    request: RegisterIn, user: User, allowed: dict[str, AllowedCommand], box: SecretBox
) -> dict[str, Any]:
    """The row of a declaration: what it names, its secrets sealed, waiting for review.

    Raises:
        ApiError: an invalid URL, or a command administrators did not allow (`command_not_allowed`).
    """
    secrets: dict[str, Any] = {}
    auth: dict[str, Any] = {"kind": "none"}
    transport = Transport.STDIO
    if request.url is not None:
        transport = Transport.HTTP
        check_url_shape(request.url)
        if request.bearer:
            secrets["bearer"], auth = request.bearer.get_secret_value(), {"kind": "bearer"}
        if request.oauth:
            oauth = request.oauth
            if oauth.issuer:
                check_url_shape(oauth.issuer)
            secrets["oauth_client_secret"] = oauth.client_secret.get_secret_value()
            auth = {"kind": "oauth", "client_id": oauth.client_id, "issuer": oauth.issuer}
            auth["scope"] = oauth.scope
    elif request.command is not None and request.command not in allowed:
        error = command_not_allowed(request.command)
        raise ApiError(error.message, code=error.code)
    if request.env:
        secrets["env"] = {key: value.get_secret_value() for key, value in request.env.items()}
    return {
        "transport": transport,
        "url": request.url,
        "package": request.package,
        "package_version": request.version,
        "command": request.command,
        "args": list(request.args),
        "env_keys": sorted(request.env),
        "network": request.network,
        "hosting": request.hosting,
        "data_class": request.data_class,
        "auth": auth,
        "secrets": box.seal(secrets),
        "status": ServerStatus.PENDING_REVIEW,
        "health": "unknown",
        "registered_by": user.email,
        "requested": request.model_dump(mode="json", include={"roles", "services", "assistants", "limits"}),
    }


def connection_of(
    row: Any,
    secrets: dict[str, Any],
    allowed: dict[str, AllowedCommand],
    sandbox: Sandbox,
    runner: RunnerAddress | None = None,
    local_stdio: bool = True,
) -> ConnectionSpec:
    """How to reach a registered (not built-in) server, secrets decrypted, stdio in its sandbox.

    Raises:
        LaunchError: the declaration cannot start here (package absent or changed, command no
            longer allowed).
        SandboxUnavailableError: the sandbox does not work on this machine.
    """
    remote = stdio_elsewhere(row, runner, local_stdio)
    if remote is not None:
        return remote
    auth = row["auth"] or {}
    if row["transport"] != Transport.STDIO:
        oauth = None
        if auth.get("kind") == "oauth":
            oauth = OAuthCredentials(
                auth["client_id"], secrets["oauth_client_secret"], auth.get("issuer"), auth.get("scope")
            )
        return ConnectionSpec(
            Transport(row["transport"]), url=row["url"], bearer=secrets.get("bearer"), oauth=oauth
        )
    program = program_of(row, allowed)
    pinned = (row["server_info"] or {}).get("package_fingerprint")
    if pinned and program.fingerprint and pinned != program.fingerprint:
        raise LaunchError(
            "package_changed",
            MESSAGES("registry.package_changed", package=row["package"]),
        )
    launch = sandbox.wrap(
        program.argv,
        secrets.get("env") or {},
        network=row["network"],
        paths=program.paths,
        writable=program.writable,
    )
    return ConnectionSpec(
        Transport.STDIO,
        command=launch.command,
        args=tuple(launch.args),
        env=launch.env,
        label=_label(row),
    )


def stdio_elsewhere(row: Any, runner: RunnerAddress | None, local: bool) -> ConnectionSpec | None:
    """A stdio server through the tool runner; None when this process starts it (or not stdio).

    Raises:
        LaunchError: no runner, and this process must not start programs (`ariane serve`).
    """
    if row["transport"] != Transport.STDIO:
        return None
    if runner is not None:
        return ConnectionSpec(Transport.STDIO, label=_label(row), runner=runner, server=row["name"])
    if local:
        return None
    raise LaunchError(
        "stdio_runner_missing",
        MESSAGES("registry.stdio_runner_missing"),
    )


def program_of(row: Any, allowed: dict[str, AllowedCommand]) -> Program:
    """What a stdio declaration starts, before the sandbox (see `server.registry.launch`).

    Raises:
        LaunchError: package absent or of another version, command not (or no longer) allowed.
    """
    args = list(row["args"] or [])
    if row["package"]:
        return package_program(row["package"], row["package_version"], args)
    return command_program(row["command"] or "", allowed, args)


def check_url_shape(url: str) -> None:
    """Refuse what is not a full http(s) URL without credentials (where it points is checked when used).

    Raises:
        ApiError: 400 `invalid_url`.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ApiError(MESSAGES("registry.invalid_url"), code="invalid_url")
    if parts.username or parts.password:
        raise ApiError(
            MESSAGES("registry.credentials_in_url"),
            code="invalid_url",
        )


def _label(row: Any) -> Text:
    if row["package"]:
        return MESSAGES("registry.label_package", package=row["package"], version=row["package_version"])
    return MESSAGES("registry.label_command", command=row["command"])


def declared(fields: dict[str, Any]) -> dict[str, Any]:
    """What the registration event records of a declaration (never its secrets)."""
    keys = ("transport", "url", "package", "package_version", "command", "args", "env_keys", "network",
            "hosting", "data_class")  # fmt: skip
    return {
        key: str(fields[key]) if key in {"transport", "hosting", "data_class"} else fields[key]
        for key in keys
    }
