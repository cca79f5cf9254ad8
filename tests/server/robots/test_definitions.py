"""A robot definition changed by a tool developer is active only once the robot's owner service and the
security officer (two people, neither the proposer) approved it; approvers everyone is, and tasks
outside the tasks folder, are refused."""

from typing import Any

import pytest

pytestmark = pytest.mark.anyio
ROBOT = "refacturation-actes-labo"  # owner service: Direction des finances (Sylvie Garnier, manager)


@pytest.fixture
def as_user(token_for):  # type: ignore[no-untyped-def]
    return lambda name: {"Authorization": f"Bearer {token_for(name + '@chru-exemple.fr')}"}


async def _robot(api, as_user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return dict((await api.get(f"/api/robots/{ROBOT}", headers=as_user("sophie.girard"))).json())


async def _propose(api, as_user, robot: dict[str, Any]):  # type: ignore[no-untyped-def]
    return await api.put(f"/api/robots/{ROBOT}", json=robot, headers=as_user("sophie.girard"))


async def test_a_changed_definition_waits_for_the_owner_service_and_the_security_officer(api, as_user):
    before = await _robot(api, as_user)
    proposal = before | {"approvers": {"roles": ["manager"], "services": ["DTNIB"]}}

    proposed = await _propose(api, as_user, proposal)
    change = proposed.json()
    still = await _robot(api, as_user)
    by_proposer = await api.post(
        f"/api/robot-changes/{change['id']}/approve", headers=as_user("sophie.girard")
    )
    by_other_service = await api.post(
        f"/api/robot-changes/{change['id']}/approve", headers=as_user("julien.perrin")
    )
    owner = await api.post(f"/api/robot-changes/{change['id']}/approve", headers=as_user("sylvie.garnier"))
    owner_again = await api.post(
        f"/api/robot-changes/{change['id']}/approve", headers=as_user("sylvie.garnier")
    )
    halfway = await _robot(api, as_user)
    security = await api.post(f"/api/robot-changes/{change['id']}/approve", headers=as_user("paul.henry"))
    after = await _robot(api, as_user)

    assert proposed.status_code == 202, proposed.text
    assert (change["status"], change["owner_service"], change["proposed_by"]) == (
        "pending", "Direction des finances", "sophie.girard@chru-exemple.fr",
    )  # fmt: skip
    assert change["digest"] != change["current_digest"]
    assert still == before
    assert (by_proposer.status_code, by_proposer.json()["error"]) == (403, "self_approval")
    assert (by_other_service.status_code, by_other_service.json()["error"]) == (403, "not_an_approver")
    assert owner.json()["status"] == "pending"
    assert (owner_again.status_code, owner_again.json()["error"]) == (403, "second_approver_required")
    assert halfway == before
    assert (security.json()["status"], security.json()["security_approved_by"]) == (
        "active", "paul.henry@chru-exemple.fr",
    )  # fmt: skip
    assert (after["approvers"], after["version"]) == (proposal["approvers"], before["version"] + 1)


async def test_staff_as_approvers_is_refused(api, as_user):
    robot = await _robot(api, as_user)

    response = await _propose(api, as_user, robot | {"approvers": {"roles": ["staff"], "services": []}})

    assert (response.status_code, response.json()["error"]) == (400, "invalid_robot")


@pytest.mark.parametrize("task", ["../../../tmp/evil.robot", "/tmp/evil.robot", "taches/../../evil.robot"])
async def test_a_task_outside_the_tasks_folder_is_refused(api, as_user, task):
    robot = await _robot(api, as_user)

    response = await _propose(api, as_user, robot | {"runner_settings": {"task": task}})

    assert (response.status_code, response.json()["error"]) == (400, "invalid_robot")


async def test_only_tool_developers_propose_and_a_rejected_change_never_applies(api, as_user):
    robot = await _robot(api, as_user)
    by_staff = await api.put(f"/api/robots/{ROBOT}", json=robot, headers=as_user("marc.lefevre"))
    change = (await _propose(api, as_user, robot | {"risk": "low"})).json()

    rejected = await api.post(
        f"/api/robot-changes/{change['id']}/reject", json={"reason": "Non"}, headers=as_user("paul.henry")
    )
    late = await api.post(f"/api/robot-changes/{change['id']}/approve", headers=as_user("sylvie.garnier"))

    assert by_staff.status_code == 403
    assert (rejected.json()["status"], rejected.json()["rejected_by"]) == (
        "rejected",
        "paul.henry@chru-exemple.fr",
    )
    assert (late.status_code, late.json()["error"]) == (409, "change_closed")
    assert (await _robot(api, as_user))["risk"] == robot["risk"]


async def test_the_security_officer_sees_the_changes_waiting_for_them(api, as_user):
    robot = await _robot(api, as_user)
    change = (await _propose(api, as_user, robot | {"risk": "high"})).json()

    inbox = (await api.get("/api/robot-changes", headers=as_user("paul.henry"))).json()
    staff = (await api.get("/api/robot-changes", headers=as_user("marc.lefevre"))).json()

    assert [(c["id"], c["may_approve"]) for c in inbox] == [(change["id"], True)]
    assert staff == []


async def test_a_refusal_reads_in_english_when_the_client_asks_for_it(api, as_user):
    change = (await _propose(api, as_user, (await _robot(api, as_user)) | {"description": "Autre."})).json()
    url = f"/api/robot-changes/{change['id']}/approve"
    french = await api.post(url, headers=as_user("sophie.girard"))
    english = await api.post(url, headers=as_user("sophie.girard") | {"Accept-Language": "en"})
    unknown = await api.post(
        "/api/robot-changes/00000000-0000-0000-0000-000000000000/approve",
        headers=as_user("paul.henry") | {"Accept-Language": "en"},
    )

    assert [french.json(), english.json(), unknown.json()] == [
        {
            "error": "self_approval",
            "detail": "Vous avez proposé ce changement : d'autres doivent l'approuver.",
        },
        {"error": "self_approval", "detail": "You proposed this change: others must approve it."},
        {"error": "change_not_found", "detail": "This robot change does not exist."},
    ]
