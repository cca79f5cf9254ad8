"""The UiPath Orchestrator adapter against a fake Orchestrator."""

from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from tests.fakes.uipath_orchestrator import FakeOrchestrator
from tools.robots.catalogue import load_catalogue
from tools.robots.runners import JobRequest, RunnerError, UiPathRunner, UiPathSettings

pytestmark = pytest.mark.anyio
ROBOT = next(r for r in load_catalogue() if r.id == "facturation-scelles")


def _robot(**runner: object):  # type: ignore[no-untyped-def]
    settings = dict(ROBOT.runner_settings) | {"release_key": "rel-scelles-7"} | runner
    return ROBOT.model_copy(update={"runner_settings": settings})


def _runner(fake: FakeOrchestrator, **overrides: object) -> UiPathRunner:
    settings = UiPathSettings(
        url="http://orchestrator.test/org/tenant/orchestrator_",
        identity_url="http://orchestrator.test/identity_/connect/token",
        client_id="ariane-robots",
        client_secret=SecretStr("s3cret"),
        folder_id=42,
        poll_seconds=0.001,
    ).model_copy(update=overrides)
    return UiPathRunner(settings, transport=httpx.ASGITransport(app=fake.app))


async def _run(runner: UiPathRunner, robot=None, external_id=None):  # type: ignore[no-untyped-def]
    started: list[str | None] = []

    async def on_started(external: str | None) -> None:
        started.append(external)

    request = JobRequest(
        "job-1", robot or _robot(), {"periode": "2026-10"}, Path("/tmp/unused"), "marc", external_id
    )
    return await runner.run(request, on_started), started


async def test_a_job_is_started_on_the_release_in_the_folder_and_followed_to_success():
    fake = FakeOrchestrator()

    result, started = await _run(_runner(fake))

    assert (result.status, result.outputs, result.error) == ("succeeded", {"lignes": 12}, None)
    assert started == ["1001"]
    assert fake.started == [
        {
            "ReleaseKey": "rel-scelles-7",
            "Strategy": "ModernJobsCount",
            "JobsCount": 1,
            "InputArguments": '{"periode": "2026-10"}',
            "Reference": "job-1",
        }
    ]
    assert fake.folders == ["42"]


async def test_a_robot_folder_overrides_the_default_folder():
    fake = FakeOrchestrator()

    await _run(_runner(fake), robot=_robot(folder_id=7))

    assert fake.folders == ["7"]


@pytest.mark.parametrize(("state", "code"), [("Faulted", "uipath_faulted"), ("Stopped", "uipath_stopped")])
async def test_faulted_and_stopped_jobs_fail_with_orchestrators_reason(state, code):
    fake = FakeOrchestrator(states=["Running", state], info="Sélecteur introuvable")

    result, _ = await _run(_runner(fake))

    assert (result.status, result.error) == (
        "failed",
        {"code": code, "detail": "UiPath : Sélecteur introuvable"},
    )


async def test_a_job_started_before_a_restart_is_followed_without_starting_it_again():
    fake = FakeOrchestrator()

    result, started = await _run(_runner(fake), external_id="1234")

    assert (result.status, started, fake.started) == ("succeeded", ["1234"], [])


async def test_wrong_client_credentials_are_a_clear_runner_error():
    with pytest.raises(RunnerError) as raised:
        await _run(_runner(FakeOrchestrator(), client_secret=SecretStr("wrong")))

    assert raised.value.code == "uipath_auth_failed"


async def test_an_unconfigured_orchestrator_is_a_clear_runner_error():
    with pytest.raises(RunnerError) as raised:
        await _run(_runner(FakeOrchestrator(), url=None))

    assert raised.value.code == "uipath_not_configured"


async def test_a_job_still_running_at_the_robots_timeout_fails():
    fake = FakeOrchestrator(states=["Running"])

    result, _ = await _run(_runner(fake), robot=_robot(timeout_seconds=0))

    assert (result.status, result.error["code"]) == ("failed", "timeout")
