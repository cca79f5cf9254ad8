"""The sandbox of stdio tool servers, for real (Debian's bubblewrap, which `make setup` installs).

A process started in it must not be root, see Ariane's data directory or keys, inherit Ariane's
environment, or reach the network (loopback included) unless granted.
"""

import asyncio
import json
import os
import socket
import sys
from pathlib import Path

import pytest

from server.registry.sandbox import Sandbox, SandboxMode

pytestmark = pytest.mark.anyio

PROBE = """
import json, os, socket, sys
seen = {"uid": os.getuid(), "env": sorted(os.environ)}
seen["caps"] = {l[:6]: int(l.split()[1], 16) for l in open("/proc/self/status") if l.startswith("Cap")}
try:
    seen["key"] = open(sys.argv[1]).read()
except OSError as error:
    seen["key"] = type(error).__name__
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=2).close()
    seen["network"] = "connected"
except OSError as error:
    seen["network"] = type(error).__name__
try:
    open("/usr/lib/ariane-sandbox-probe", "w")
    seen["write_system"] = "written"
except OSError as error:
    seen["write_system"] = type(error).__name__
print(json.dumps(seen))
"""


async def _run_in(sandbox: Sandbox, key: Path, port: int, *, network: bool = False) -> dict:
    launch = sandbox.wrap(
        [sys.executable, "-c", PROBE, str(key), str(port)], {"DECLARED": "oui"}, network=network
    )
    # The launcher gets Ariane's whole environment, secrets included: none of it may reach the server.
    parent = {**os.environ, **launch.env, "ARIANE_TENANT_API_CLIENT_SECRET": "secret-d-ariane"}
    if sandbox.mode is SandboxMode.NONE:
        parent = launch.env  # as the MCP client starts it: the declared environment and a neutral base
    process = await asyncio.create_subprocess_exec(
        launch.command, *launch.args, env=parent, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    return json.loads(out)


@pytest.fixture
def key(tmp_path: Path) -> Path:
    """A signing key in a data directory, readable by anyone: only the sandbox's mounts can hide it."""
    folder = tmp_path / "data" / "tenant"
    folder.mkdir(parents=True)
    path = folder / "signing-key.pem"
    path.write_text("-----BEGIN PRIVATE KEY-----")
    for item in [path, *path.parents]:
        if item == tmp_path.parent:
            break
        item.chmod(0o755 if item.is_dir() else 0o644)
    return path


@pytest.fixture
def listening():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


async def test_a_sandboxed_server_sees_no_key_no_secret_and_no_network(key, listening):
    seen = await _run_in(Sandbox(SandboxMode.BUBBLEWRAP), key, listening)

    assert seen["key"] == "FileNotFoundError"
    assert seen["network"] in {"OSError", "ConnectionRefusedError"}
    assert seen["write_system"] in {"OSError", "PermissionError"}
    assert seen["env"] == ["DECLARED", "HOME", "LANG", "PATH", "PWD", "TMPDIR"]  # PWD: bwrap's --chdir
    if os.geteuid() == 0:
        assert seen["uid"] == 64_000
        # No capability left, the bounding set included (Debian 12's setpriv used to leave it full).
        assert seen["caps"] == {"CapInh": 0, "CapPrm": 0, "CapEff": 0, "CapBnd": 0, "CapAmb": 0}


async def test_the_network_is_there_only_when_granted(key, listening):
    seen = await _run_in(Sandbox(SandboxMode.BUBBLEWRAP), key, listening, network=True)

    assert seen["network"] == "connected"
    assert seen["key"] == "FileNotFoundError"


async def test_without_a_sandbox_only_the_environment_is_reduced(key, listening):
    seen = await _run_in(Sandbox(SandboxMode.NONE), key, listening)

    assert seen["key"] == "-----BEGIN PRIVATE KEY-----"  # what the README says `none` does not protect
    assert seen["env"] == ["DECLARED", "HOME", "LANG", "PATH", "TMPDIR"]


async def test_a_sandboxed_server_runs_within_resource_limits():
    launch = Sandbox(SandboxMode.BUBBLEWRAP).wrap(
        [sys.executable, "-c", "import resource; print(resource.getrlimit(resource.RLIMIT_AS))"],
        {},
        network=False,
    )
    process = await asyncio.create_subprocess_exec(
        launch.command, *launch.args, env=launch.env, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(process.communicate(), 30)

    assert json.loads(out.decode().replace("(", "[").replace(")", "]")) == [4 * 2**30, 4 * 2**30]
