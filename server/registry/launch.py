"""What a declared stdio server starts: an installed package at its version, or an allow-listed command.

Nothing here runs anything. A package is looked up in the metadata of the environment Ariane runs in
(the operator installs reviewed tool packages there, `pip install NAME==VERSION`; Ariane never
installs anything itself, which would run the package's build code outside any sandbox), and its
console script becomes `python -c "from MODULE import FUNC; …"`. A command is one an administrator
set in `ARIANE_REGISTRY_COMMANDS` (its argument vector and the paths it reads); a registrant only
names it and adds arguments.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from importlib import metadata

from pydantic import BaseModel, Field

from server.messages import MESSAGES
from tools.i18n import Text

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
PACKAGE_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$")
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+!_-]{0,63}$")


class AllowedCommand(BaseModel):
    """A command administrators allow registrants to name (`ARIANE_REGISTRY_COMMANDS`)."""

    argv: list[str] = Field(min_length=1, description="Program and its fixed arguments.")
    paths: list[str] = Field(default_factory=list, description="Paths it reads, mounted read-only.")
    writable: list[str] = Field(default_factory=list, description="Paths it may write to, mounted so.")


class LaunchError(Exception):
    """The declaration cannot be started as it stands; `code` is the API's, `message` a catalogue text."""

    def __init__(self, code: str, message: Text) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Program:
    """The argument vector of a declared server and the paths it needs, before the sandbox wraps it."""

    argv: list[str]
    paths: tuple[str, ...] = ()
    writable: tuple[str, ...] = ()
    fingerprint: str = ""


def package_program(name: str, version: str, args: list[str]) -> Program:
    """The console script of package `name` at exactly `version`, installed in Ariane's environment.

    Raises:
        LaunchError: `package_not_installed` (absent or another version) or `no_entry_point`.
    """
    try:
        distribution = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise _not_installed(name, version, None) from None
    installed = distribution.version
    if installed != version:
        raise _not_installed(name, version, installed)
    scripts = [point for point in distribution.entry_points if point.group == "console_scripts"]
    if (
        len(scripts) != 1
        or not _IDENTIFIER.match(scripts[0].module)
        or not _IDENTIFIER.match(scripts[0].attr or "")
    ):
        raise LaunchError(
            "no_entry_point",
            MESSAGES("registry.no_entry_point", name=name, version=version),
        )
    point = scripts[0]
    bootstrap = f"import sys; from {point.module} import {point.attr} as main; sys.exit(main())"
    record = distribution.read_text("RECORD") or ""
    fingerprint = "sha256:" + hashlib.sha256(record.encode()).hexdigest()
    return Program([sys.executable, "-c", bootstrap, *args], fingerprint=fingerprint)


def command_program(name: str, allowed: dict[str, AllowedCommand], args: list[str]) -> Program:
    """The allow-listed command `name` with the registrant's `args` appended.

    Raises:
        LaunchError: `command_not_allowed` when administrators did not allow `name`.
    """
    command = allowed.get(name)
    if command is None:
        raise command_not_allowed(name)
    return Program([*command.argv, *args], tuple(command.paths), tuple(command.writable))


def command_not_allowed(name: str) -> LaunchError:
    """The refusal of a command that is not on the administrators' list."""
    shown = name if len(name) <= 60 else name[:57] + "…"
    return LaunchError(
        "command_not_allowed",
        MESSAGES("registry.command_not_allowed", command=shown),
    )


def _not_installed(name: str, version: str, installed: str | None) -> LaunchError:
    found = MESSAGES("registry.installed_version", version=installed) if installed else ""
    return LaunchError(
        "package_not_installed",
        MESSAGES("registry.package_not_installed", name=name, version=version, found=found),
    )
