"""The robots MCP server over streamable HTTP, as the agents reach it, and the catalogue API."""

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import httpx2
import psycopg
import pytest

from agents.toolbox import HttpToolConnector, ToolOutcome
from server.app import create_app
from tools.mcp_common import LANGUAGE_META

pytestmark = pytest.mark.anyio


@pytest.fixture
async def app(settings, tenant_app):  # type: ignore[no-untyped-def]
    # In process: the robots server reads the robots API through the app itself, as under `ariane up`.
    app = create_app(settings, identity_transport=httpx.ASGITransport(app=tenant_app), agents_in_process=True)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
def robots(app, token_for):  # type: ignore[no-untyped-def]
    @asynccontextmanager
    async def client(user: str) -> AsyncIterator:  # type: ignore[type-arg]
        connector = HttpToolConnector("http://ariane.test", transport=httpx2.ASGITransport(app=app))
        async with connector.connect("robots", token_for(f"{user}@chru-exemple.fr")) as mcp:

            async def call(tool: str, **arguments: object) -> ToolOutcome:
                return ToolOutcome.of(await mcp.call_tool(tool, arguments))

            call.mcp = mcp  # type: ignore[attr-defined]
            yield call

    return client


def _count(database_url: str, table: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


async def test_the_catalogue_lists_the_twelve_robots_with_who_may_ask(robots):
    async with robots("marc.lefevre") as call:
        listed = await call("list_robots")

    may = {robot["id"]: robot["may_request"] for robot in listed.data["robots"]}
    assert len(may) == 12
    assert (may["refacturation-actes-labo"], may["securisation-compte-compromis"]) == (True, False)


async def test_trigger_robot_is_annotated_destructive_and_only_returns_an_approval_request(
    robots, database_url
):
    async with robots("marc.lefevre") as call:
        tools = {tool.name: tool for tool in (await call.mcp.list_tools()).tools}
        asked = await call("trigger_robot", robot="refacturation-actes-labo", inputs={"periode": "2026-10"})

    assert tools["trigger_robot"].annotations.destructive_hint is True
    assert tools["list_robots"].annotations.read_only_hint is True
    assert asked.ok
    assert (asked.data["status"], asked.data["digest"]) == (
        "approval_required",
        hashlib.sha256(b'refacturation-actes-labo\n{"periode":"2026-10"}').hexdigest(),
    )
    assert (_count(database_url, "approvals"), _count(database_url, "jobs")) == (0, 0)


async def test_inputs_are_checked_against_the_schema_before_anything_else(robots):
    async with robots("claire.dubois") as call:
        wrong = await call(
            "trigger_robot", robot="refacturation-actes-labo", inputs={"periode": "octobre", "x": 1}
        )

    # Claire may not ask for this robot, but the schema failure is reported first.
    assert (wrong.ok, wrong.code) == (False, "invalid_inputs")
    assert "periode" in wrong.message
    assert "x" in wrong.message


async def test_a_user_outside_the_requesters_is_refused(robots):
    async with robots("claire.dubois") as call:
        refused = await call("trigger_robot", robot="refacturation-actes-labo", inputs={"periode": "2026-10"})

    assert (refused.ok, refused.code) == (False, "access_denied")
    # Who may ask, in words (not a role code), once.
    assert refused.message == (
        "Le robot « Refacturation des actes de laboratoire arrivés après facturation » ne peut être demandé "
        "que par le personnel du service Direction des finances : adressez-vous à l'une de ces personnes "
        "pour qu'elle en fasse la demande."
    )


async def test_the_refusal_is_in_english_when_the_run_speaks_english(robots):
    async with robots("claire.dubois") as call:
        result = await call.mcp.call_tool(
            "trigger_robot",
            {"robot": "refacturation-actes-labo", "inputs": {"periode": "2026-10"}},
            meta={LANGUAGE_META: "en"},
        )
        refused = ToolOutcome.of(result)

    assert (refused.ok, refused.code) == (False, "access_denied")
    assert refused.message == (
        "Robot « Refacturation des actes de laboratoire arrivés après facturation » may only be requested "
        "by the staff of department Direction des finances: ask one of them to make the request."
    )


async def test_an_unknown_robot_is_a_clear_error_listing_the_known_ones(robots):
    async with robots("marc.lefevre") as call:
        unknown = await call("describe_robot", robot="robot-inexistant")
        job = await call("get_job", job="00000000-0000-0000-0000-000000000000")

    assert (unknown.ok, unknown.code) == (False, "not_found")
    assert "refacturation-actes-labo" in unknown.message
    assert (job.ok, job.code) == (False, "not_found")


async def test_an_unknown_job_is_reported_in_the_language_of_the_run(robots):
    job = "00000000-0000-0000-0000-000000000000"
    async with robots("marc.lefevre") as call:
        french = await call("get_job", job=job)
        english = ToolOutcome.of(
            await call.mcp.call_tool("get_job", {"job": job}, meta={LANGUAGE_META: "en"})
        )

    assert [(french.code, french.message), (english.code, english.message)] == [
        ("not_found", f"Tâche « {job} » introuvable ou non accessible."),
        ("not_found", f"Job « {job} » not found or not accessible."),
    ]


def _job_asked_by(database_url: str, email: str) -> str:
    """A finished job of the lab re-billing robot, asked for by `email` (a known user)."""
    with psycopg.connect(database_url) as conn:
        approval = conn.execute(
            "INSERT INTO approvals (robot_id, robot_version, checkpoint_key, requester_id, inputs, digest, "
            "expires_at) SELECT 'refacturation-actes-labo', 1, 'k', id, '{\"periode\": \"2026-10\"}', %s, "
            "now() FROM users WHERE email = %s RETURNING id",
            ("0" * 64, email),
        ).fetchone()
        assert approval is not None
        job = conn.execute(
            "INSERT INTO jobs (approval_id, robot_id, runner, status, inputs, digest, outputs, finished_at) "
            "VALUES (%s, 'refacturation-actes-labo', 'local', 'succeeded', '{\"periode\": \"2026-10\"}', "
            "%s, '{\"actes\": 12}', now()) RETURNING id::text",
            (approval[0], "0" * 64),
        ).fetchone()
    assert job is not None
    return str(job[0])


async def test_get_job_answers_whom_the_robots_api_lets_see_the_job(robots, database_url):
    async with robots("marc.lefevre") as call:
        await call("list_robots")  # Marc is known to Ariane from his first call
        job_id = _job_asked_by(database_url, "marc.lefevre@chru-exemple.fr")
        own = await call("get_job", job=job_id)
    async with robots("claire.dubois") as call:
        other = await call("get_job", job=job_id)

    assert own.ok, own.message
    assert (own.data["status"], own.data["outputs"]) == ("succeeded", {"actes": 12})
    # Claire neither asked for it nor may approve it: the API does not show it, nor does the tool.
    assert (other.ok, other.code) == (False, "not_found")


async def test_tool_developers_edit_the_catalogue_and_others_may_not(app, token_for):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://ariane.test"
    ) as api:
        robot = (
            await api.get("/api/robots/rapport-vulnerabilites-ad", headers=_auth(token_for, "sophie.girard"))
        ).json()
        robot["runner_settings"]["timeout_seconds"] = 90
        proposed = await api.put(
            f"/api/robots/{robot['id']}", json=robot, headers=_auth(token_for, "sophie.girard")
        )
        # A change takes the owner service (the direction here) and the security officer.
        for approver in ("helene.marchal", "paul.henry"):
            decided = await api.post(
                f"/api/robot-changes/{proposed.json()['id']}/approve", headers=_auth(token_for, approver)
            )
            assert decided.status_code == 200, decided.text
        saved = await api.get(f"/api/robots/{robot['id']}", headers=_auth(token_for, "sophie.girard"))
        refused = await api.put(
            f"/api/robots/{robot['id']}", json=robot, headers=_auth(token_for, "marc.lefevre")
        )
        broken = await api.put(
            f"/api/robots/{robot['id']}", json=robot | {"input_schema": {"type": "nope"}},
            headers=_auth(token_for, "sophie.girard"),
        )  # fmt: skip

    assert (proposed.status_code, decided.json()["status"]) == (202, "active")
    assert (
        saved.status_code,
        saved.json()["version"],
        saved.json()["runner_settings"]["timeout_seconds"],
    ) == (200, 2, 90)
    assert (refused.status_code, refused.json()["error"]) == (403, "forbidden")
    assert (broken.status_code, broken.json()["error"]) == (400, "invalid_request")


def _auth(token_for, user: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}
