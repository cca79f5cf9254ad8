"""The sandbox a reviewed stdio tool server runs in: bubblewrap, its own user, nothing of Ariane's.

`bubblewrap` (Debian's `bwrap`) starts the server in new mount, PID, IPC, UTS and (unless the
reviewer granted it) network namespaces, with a read-only view of the system (`/usr`, the Python
environment, the few `/etc` files a program needs) and of the paths the declaration names, a private
`/tmp`, no capabilities and an environment reduced to what was declared. When Ariane runs as root,
bwrap sets the sandbox up as root and `setpriv` then makes the server its own unprivileged user
(`ARIANE_REGISTRY_SANDBOX_UID`, no capability, `no_new_privs`), so that even outside the namespaces it
owns nothing; otherwise bwrap adds a user namespace, the server keeps Ariane's user and only the mount
namespace hides Ariane's data directory and keys. `none` runs the command as Ariane's user with the
reduced environment only, for deployments whose tool servers run elsewhere: the README says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from server.messages import MESSAGES
from tools.i18n import Text

_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32")
_ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/mime.types",
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/pki",
)
_NETWORK_ETC = ("/etc/resolv.conf", "/etc/hosts", "/etc/gai.conf")
# Bounds a runaway or hostile server cannot lift: memory, processes (per user), open files, no core.
_LIMITS = ("--as=4294967296", "--nproc=256", "--nofile=1024", "--core=0", "--fsize=1073741824")
# What bwrap keeps when run as root, for setpriv alone: changing user, and CAP_SETPCAP, without which
# clearing the bounding set is refused (util-linux 2.38, Debian 12, ignored the refusal and left the
# bounding set full; 2.41, Debian 13, fails and the server never starts).
_ROOT_CAPS = ("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP")
_BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "TMPDIR": "/tmp"}


class SandboxMode(StrEnum):
    """`bubblewrap`: namespaces (and an own user as root); `none`: no isolation (reduced env only)."""

    BUBBLEWRAP = "bubblewrap"
    NONE = "none"


class SandboxUnavailableError(Exception):
    """The configured sandbox cannot start anything on this machine; `text` says why (`str`: French)."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


@dataclass(frozen=True)
class Launch:
    """A command line to start, with the environment it gets."""

    command: str
    args: list[str]
    env: dict[str, str] = field(repr=False)


@dataclass(frozen=True)
class Sandbox:
    """How stdio servers are started."""

    mode: SandboxMode = SandboxMode.BUBBLEWRAP
    uid: int = 64_000
    gid: int = 64_000
    runtime_paths: tuple[str, ...] = field(default_factory=lambda: _python_paths())

    def describe(self) -> Text:
        """What isolation a server gets here (the registry shows it to reviewers)."""
        if self.mode is SandboxMode.NONE:
            return MESSAGES("registry.isolation_none")
        who = (
            MESSAGES("registry.isolation_uid", uid=self.uid)
            if _is_root()
            else MESSAGES("registry.isolation_namespace")
        )
        return MESSAGES("registry.isolation_bubblewrap", who=who)

    def check(self) -> None:
        """Raise SandboxUnavailableError unless the sandbox can start a process here."""
        if self.mode is SandboxMode.BUBBLEWRAP:
            problem = _bubblewrap_problem(self.uid if _is_root() else None, self.gid)
            if problem:
                raise SandboxUnavailableError(MESSAGES("registry.sandbox_unavailable", problem=problem))

    def wrap(
        self,
        argv: list[str],
        env: dict[str, str],
        *,
        network: bool,
        paths: tuple[str, ...] = (),
        writable: tuple[str, ...] = (),
    ) -> Launch:
        """The command that starts `argv` in the sandbox, with only `env` (and a neutral base) set.

        Raises:
            SandboxUnavailableError: the sandbox does not work on this machine.
        """
        clean = _BASE_ENV | env
        if self.mode is SandboxMode.NONE:
            return Launch(argv[0], argv[1:], clean)
        self.check()
        bwrap = shutil.which("bwrap") or "bwrap"
        root = _is_root()
        words = [bwrap, *self._namespaces(network, root), *self._filesystem(network, paths, writable)]
        words.append("--clearenv")
        for key, value in clean.items():
            words += ["--setenv", key, value]
        words += ["--chdir", "/tmp", "--"]
        if root:
            # bwrap sets the sandbox up as root (so that it can mount what root can read), keeping only
            # what setpriv needs (_ROOT_CAPS); setpriv then becomes the server's own user for good: no
            # capability, none in the bounding set either, no way back (no_new_privs), no supplementary
            # group.
            words += [*_setpriv(self.uid, self.gid), "--"]
        words += ["/usr/bin/prlimit", *_LIMITS, "--"]
        # The sandbox gets its environment from --setenv; the launcher itself needs nothing of ours.
        return Launch(words[0], [*words[1:], *argv], {"PATH": _BASE_ENV["PATH"]})

    def _namespaces(self, network: bool, root: bool) -> list[str]:
        words = ["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
        words += ["--unshare-cgroup-try", "--cap-drop", "ALL"]
        if root:
            words += _ROOT_CAPS
        else:
            words.append("--unshare-user")
        if not network:
            words.append("--unshare-net")
        return words

    def _filesystem(self, network: bool, paths: tuple[str, ...], writable: tuple[str, ...]) -> list[str]:
        words: list[str] = []
        for directory in _SYSTEM_DIRS:
            path = Path(directory)
            if path.is_symlink():
                words += ["--symlink", os.readlink(path), directory]
            elif path.is_dir():
                words += ["--ro-bind", directory, directory]
        for extra in (*_ETC_FILES, *(_NETWORK_ETC if network else ())):
            words += ["--ro-bind-try", extra, extra]
        # The private /tmp first: a declared folder under /tmp is then mounted over it, not hidden by it.
        words += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        bound = (*self.runtime_paths, *paths, *writable)
        # Folders leading to a bound path are made reachable (bwrap would create them 0700).
        for folder in sorted(
            {str(parent) for path in bound for parent in Path(path).parents} - {"/", "/tmp"}
        ):
            if not any(folder == d or folder.startswith(d + "/") for d in _SYSTEM_DIRS):
                words += ["--perms", "0755", "--dir", folder]
        for extra in (*self.runtime_paths, *paths):
            words += ["--ro-bind", extra, extra]
        for extra in writable:
            words += ["--bind", extra, extra]
        return words


def _setpriv(uid: int, gid: int) -> list[str]:
    """The setpriv words that become `uid` for good: no capability, no way back, no supplementary group."""
    words = ["/usr/bin/setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups"]
    return [*words, "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]


def _python_paths() -> tuple[str, ...]:
    """The Python environment servers run from (Ariane's venv and its base), outside `/usr`."""
    found: list[str] = []
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix}:
        resolved = str(Path(prefix).resolve())
        if not any(resolved == d or resolved.startswith(d + "/") for d in _SYSTEM_DIRS):
            found.append(resolved)
    return tuple(sorted(found))


def _is_root() -> bool:
    return os.geteuid() == 0


@cache
def _bubblewrap_problem(uid: int | None, gid: int) -> str:
    """Empty when bubblewrap starts a process as asked here, else why not (checked once per process)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bwrap est absent (paquet Debian « bubblewrap »)"
    command = [bwrap, "--ro-bind", "/", "/", "--unshare-pid", "--unshare-net", "--die-with-parent"]
    if uid is None:
        command += ["--unshare-user", "--", "true"]
    else:
        if not Path("/usr/bin/setpriv").is_file():
            return "setpriv est absent (paquet Debian « util-linux »)"
        command += ["--cap-drop", "ALL", *_ROOT_CAPS, "--", *_setpriv(uid, gid), "--", "true"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bwrap ne démarre pas ({type(error).__name__})"
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        return f"bwrap refuse de créer les espaces de noms ({said[-1][:200] if said else done.returncode})"
    return ""
