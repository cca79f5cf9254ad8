"""`GET /api/meetings/{id}/transcript`, the page transcript citations link to: same access as the tools."""

import pytest

pytestmark = pytest.mark.anyio

AG = "evt-ag-dtnib-2025-06-19"


def _auth(token_for, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user + '@chru-exemple.fr')}"}


async def test_an_attendee_reads_every_cue_of_the_transcript(ariane, token_for):
    response = await ariane.get(f"/api/meetings/{AG}/transcript", headers=_auth(token_for, "claire.dubois"))

    body = response.json()
    assert response.status_code == 200
    assert (body["meeting"]["id"], body["meeting"]["subject"]) == (AG, "Assemblée générale DTNIB")
    assert len(body["cues"]) == 202
    assert body["cues"][0]["speaker"] == "Claire Dubois"


@pytest.mark.parametrize(
    ("user", "meeting", "status", "code"),
    [
        ("karim.haddad", AG, 404, "meeting_not_found"),
        ("claire.dubois", "evt-does-not-exist", 404, "meeting_not_found"),
        ("marc.lefevre", "evt-point-facturation-2026-11-24", 409, "not_transcribed"),
    ],
)
async def test_transcripts_the_user_may_not_read_are_refused_cleanly(
    ariane, token_for, user, meeting, status, code
):
    response = await ariane.get(f"/api/meetings/{meeting}/transcript", headers=_auth(token_for, user))

    assert (response.status_code, response.json()["error"]) == (status, code)


async def test_summary_citations_link_to_the_cited_moment(ask):
    _, run = await ask(
        "claire.dubois", "Résume-moi l'intervention de Julien Perrin à l'assemblée générale DTNIB en 3 points"
    )

    for citation in run["citations"]:
        assert citation["url"].startswith(f"/reunions/{AG}?cues=")
        assert citation["cue_ids"][0].replace("/", "%2F") in citation["url"]
