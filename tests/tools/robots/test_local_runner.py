"""The local Robot Framework runner and the four robots that really work against the sample systems."""

import json
from pathlib import Path

import pytest

from tests.live_server import serve_on_loopback
from tools.robots.catalogue import RobotSpec, load_catalogue
from tools.robots.runners import JobRequest, LocalRunner, LocalRunnerSettings, RunnerError

pytestmark = pytest.mark.anyio
ROBOTS = {robot.id: robot for robot in load_catalogue()}
KEY = "ariane-robots-local-key"


async def _run(robot: RobotSpec, inputs, workdir: Path, tenant_url="http://127.0.0.1:9", tasks_dir=None):  # type: ignore[no-untyped-def]
    settings = LocalRunnerSettings(tenant_url=tenant_url, robot_key=KEY)
    if tasks_dir is not None:
        settings = LocalRunnerSettings(tenant_url=tenant_url, robot_key=KEY, tasks_dir=tasks_dir)
    started: list[str | None] = []

    async def on_started(pid: str | None) -> None:
        started.append(pid)

    result = await LocalRunner(settings).run(
        JobRequest("job-1", robot, inputs, workdir, "paul.henry@chru-exemple.fr"), on_started
    )
    assert len(started) == 1
    return result


def _custom(tmp_path: Path, body: str, timeout: float = 60) -> tuple[RobotSpec, Path]:
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "custom.robot").write_text(body)
    robot = ROBOTS["rapport-vulnerabilites-ad"].model_copy(
        update={"runner_settings": {"task": "custom.robot", "timeout_seconds": timeout}}
    )
    return robot, tasks


async def test_the_ad_report_ranks_findings_most_severe_first(tmp_path):
    result = await _run(ROBOTS["rapport-vulnerabilites-ad"], {"date": "2026-11-28"}, tmp_path)

    assert result.status == "succeeded"
    assert result.outputs["par_gravite"] == {"critique": 1, "élevée": 6, "moyenne": 3}
    findings = json.loads((tmp_path / "artefacts" / "constats.json").read_text())
    assert [f["code"] for f in findings][:2] == ["krbtgt_ancien", "trop_d_admins"]
    assert {"output.xml", "log.html", "console.txt", "artefacts/rapport-ad.md"} <= set(result.artifacts)


async def test_securing_a_compromised_account_acts_on_the_tenants_systems(tmp_path, tenant_app):
    async with serve_on_loopback(tenant_app) as tenant_url:
        result = await _run(
            ROBOTS["securisation-compte-compromis"],
            {"compte": "karim.haddad@chru-exemple.fr", "source": "SOC"},
            tmp_path / "job",
            tenant_url,
        )  # fmt: skip

    assert result.status == "succeeded", result.log
    systems = tenant_app.state.systems
    assert [r["account"] for r in systems.read("incidents")] == ["karim.haddad@chru-exemple.fr"]
    assert [r["account"] for r in systems.read("password-resets")] == ["karim.haddad@chru-exemple.fr"]
    assert [r["status"] for r in systems.read("antivirus-scans")] == ["en_file"]
    sms = systems.read("sms-outbox")
    assert len(sms) == 1
    assert sms[0]["to"].startswith("+33 6 39 98")
    assert result.outputs["incident"] == systems.read("incidents")[0]["id"]


async def test_an_access_request_is_filed_and_an_unknown_beneficiary_fails_the_job(tmp_path, tenant_app):
    robot = ROBOTS["creation-acces-applicatif"]
    inputs = {"beneficiaire": "claire.dubois@chru-exemple.fr", "application": "GAM", "profil": "secrétariat"}
    async with serve_on_loopback(tenant_app) as tenant_url:
        filed = await _run(robot, inputs, tmp_path / "ok", tenant_url)
        unknown = await _run(
            robot, inputs | {"beneficiaire": "personne@chru-exemple.fr"}, tmp_path / "ko", tenant_url
        )

    assert (filed.status, filed.outputs["application"], filed.outputs["statut"]) == (
        "succeeded",
        "GAM",
        "a_traiter",
    )
    assert [r["requested_by"] for r in tenant_app.state.systems.read("access-requests")] == [
        "paul.henry@chru-exemple.fr"
    ]
    assert (unknown.status, unknown.error["code"]) == ("failed", "robot_failed")
    assert "Compte inconnu de l'annuaire" in unknown.log


async def test_a_wrong_robot_key_is_refused_by_the_tenant(tmp_path, tenant_app):
    async with serve_on_loopback(tenant_app) as tenant_url:
        settings = LocalRunnerSettings(tenant_url=tenant_url, robot_key="wrong")
        robot = ROBOTS["securisation-compte-compromis"]

        async def on_started(_: str | None) -> None:
            return None

        result = await LocalRunner(settings).run(
            JobRequest("job-1", robot, {"compte": "karim.haddad@chru-exemple.fr"}, tmp_path, "paul"),
            on_started,
        )

    assert result.status == "failed"
    assert "401" in result.log
    assert tenant_app.state.systems.read("incidents") == []


async def test_a_crashing_robot_fails_the_job_with_its_log(tmp_path):
    robot, tasks = _custom(tmp_path, "*** Tasks ***\nPlanter\n    Fail    Le système cible ne répond pas\n")

    result = await _run(robot, {"date": "2026-11-28"}, tmp_path / "job", tasks_dir=tasks)

    assert (result.status, result.error["code"]) == ("failed", "robot_failed")
    assert "Le système cible ne répond pas" in result.log
    assert "output.xml" in result.artifacts


async def test_a_robot_past_its_timeout_is_killed_and_the_job_fails(tmp_path):
    robot, tasks = _custom(tmp_path, "*** Tasks ***\nAttendre\n    Sleep    120s\n", timeout=0.5)

    result = await _run(robot, {"date": "2026-11-28"}, tmp_path / "job", tasks_dir=tasks)

    assert (result.status, result.error["code"]) == ("failed", "timeout")


async def test_a_robot_without_its_task_file_cannot_run(tmp_path):
    robot = ROBOTS["rapport-vulnerabilites-ad"].model_copy(
        update={"runner_settings": {"task": "absent.robot"}}
    )

    with pytest.raises(RunnerError) as raised:
        await _run(robot, {"date": "2026-11-28"}, tmp_path)

    assert raised.value.code == "task_missing"


@pytest.mark.parametrize(
    "task", ["../evil.robot", "../../tasks-ailleurs/evil.robot", "ABSOLUTE", "lien.robot"]
)
async def test_a_task_outside_the_tasks_folder_never_runs(tmp_path, task):
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    evil = tmp_path / "evil.robot"
    marker = tmp_path / "ran"
    evil.write_text(f"*** Tasks ***\nEvil\n    Create File    {marker}    ran\n")
    (tasks / "lien.robot").symlink_to(evil)
    target = str(evil) if task == "ABSOLUTE" else task
    robot = ROBOTS["rapport-vulnerabilites-ad"].model_copy(update={"runner_settings": {"task": target}})

    with pytest.raises(RunnerError) as raised:
        await _run(robot, {"date": "2026-11-28"}, tmp_path / "job", tasks_dir=tasks)

    assert raised.value.code == "task_outside"
    assert not marker.exists()
