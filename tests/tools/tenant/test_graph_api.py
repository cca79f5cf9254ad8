"""The tenant's Graph v1.0 subset: shapes, paging, errors, token checks and access, over raw HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tools.tenant.directory import load_directory
from tools.tenant.identity.issuer import API_CLIENT_ID, GRAPH_AUDIENCE, GRAPH_SCOPES

pytestmark = pytest.mark.anyio
AG = "evt-ag-dtnib-2025-06-19"
AG_MEETING = "mtg-ag-dtnib-2025-06-19"
AG_TRANSCRIPT = "tr-ag-dtnib-2025-06-19"


@pytest.fixture
async def http(tenant_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=tenant_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8001/v1.0") as client:
        yield client


@pytest.fixture
def graph_headers(tenant_app: FastAPI) -> Callable[[str], dict[str, str]]:
    provider = tenant_app.state.identity

    def headers(user: str) -> dict[str, str]:
        found = provider.directory.user_by_mail(f"{user}@chru-exemple.fr")
        token = provider.tokens.access_token(
            found, audience=GRAPH_AUDIENCE, scope=GRAPH_SCOPES, client_id=API_CLIENT_ID
        )
        return {"Authorization": f"Bearer {token}", "client-request-id": "req-1"}

    return headers


async def test_me_has_graph_user_shape(http: httpx.AsyncClient, graph_headers: Any) -> None:
    body = (await http.get("/me", headers=graph_headers("claire.dubois"))).json()
    assert body["@odata.context"] == "http://127.0.0.1:8001/v1.0/$metadata#users/$entity"
    assert (body["displayName"], body["userPrincipalName"], body["jobTitle"]) == (
        "Claire Dubois",
        "claire.dubois@chru-exemple.fr",
        "Secrétaire du DTNIB",
    )


async def test_a_user_is_found_by_principal_name(http: httpx.AsyncClient, graph_headers: Any) -> None:
    response = await http.get("/users/karim.haddad@chru-exemple.fr", headers=graph_headers("claire.dubois"))
    assert response.json()["displayName"] == "Karim Haddad"


async def test_users_are_paged_with_a_next_link(http: httpx.AsyncClient, graph_headers: Any) -> None:
    first = (await http.get("/users", params={"$top": 4}, headers=graph_headers("claire.dubois"))).json()
    names = [u["displayName"] for u in first["value"]]
    link = first["@odata.nextLink"]
    while link:
        page = (await http.get(link, headers=graph_headers("claire.dubois"))).json()
        names += [u["displayName"] for u in page["value"]]
        link = page.get("@odata.nextLink")
    assert len(names) == len(set(names)) == len(load_directory().users) > 12  # the named users and the staff


async def test_a_token_for_another_audience_is_refused(
    http: httpx.AsyncClient, tenant_app: FastAPI, token_for: Callable[[str], str]
) -> None:
    response = await http.get(
        "/me", headers={"Authorization": f"Bearer {token_for('claire.dubois@chru-exemple.fr')}"}
    )
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "InvalidAuthenticationToken"
    assert set(error["innerError"]) == {"date", "request-id", "client-request-id"}


async def test_missing_token_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.get("/me/events")
    assert (response.status_code, response.json()["error"]["code"]) == (401, "InvalidAuthenticationToken")


async def test_calendar_view_gives_utc_unless_a_time_zone_is_preferred(
    http: httpx.AsyncClient, graph_headers: Any
) -> None:
    params = {"startDateTime": "2025-06-19T00:00:00", "endDateTime": "2025-06-20T00:00:00"}
    utc = (await http.get("/me/calendarView", params=params, headers=graph_headers("claire.dubois"))).json()
    headers = graph_headers("claire.dubois") | {"Prefer": 'outlook.timezone="Europe/Paris"'}
    paris = await http.get("/me/calendarView", params=params, headers=headers)
    assert [(e["id"], e["start"]) for e in utc["value"]] == [
        (AG, {"dateTime": "2025-06-19T07:00:00.0000000", "timeZone": "UTC"})
    ]
    assert paris.json()["value"][0]["start"]["dateTime"] == "2025-06-19T09:00:00.0000000"
    assert paris.headers["Preference-Applied"] == 'outlook.timezone="Europe/Paris"'


async def test_calendar_view_requires_a_window(http: httpx.AsyncClient, graph_headers: Any) -> None:
    response = await http.get("/me/calendarView", headers=graph_headers("claire.dubois"))
    assert (response.status_code, response.json()["error"]["code"]) == (400, "BadRequest")


async def test_an_event_of_others_is_reported_missing(http: httpx.AsyncClient, graph_headers: Any) -> None:
    response = await http.get(f"/me/events/{AG}", headers=graph_headers("karim.haddad"))
    assert (response.status_code, response.json()["error"]["code"]) == (404, "itemNotFound")
    assert response.json()["error"]["innerError"]["client-request-id"] == "req-1"


async def test_online_meetings_are_found_by_join_url_only(
    http: httpx.AsyncClient, graph_headers: Any
) -> None:
    event = (await http.get(f"/me/events/{AG}", headers=graph_headers("paul.henry"))).json()
    url = event["onlineMeeting"]["joinUrl"]
    found = await http.get(
        "/me/onlineMeetings",
        params={"$filter": f"JoinWebUrl eq '{url}'"},
        headers=graph_headers("paul.henry"),
    )
    hidden = await http.get(
        "/me/onlineMeetings",
        params={"$filter": f"JoinWebUrl eq '{url}'"},
        headers=graph_headers("karim.haddad"),
    )
    unfiltered = await http.get("/me/onlineMeetings", headers=graph_headers("paul.henry"))
    assert [m["id"] for m in found.json()["value"]] == [AG_MEETING]
    assert hidden.json()["value"] == []
    assert unfiltered.status_code == 400


async def test_transcript_content_is_webvtt(http: httpx.AsyncClient, graph_headers: Any) -> None:
    path = f"/me/onlineMeetings/{AG_MEETING}/transcripts/{AG_TRANSCRIPT}/content"
    response = await http.get(path, params={"$format": "text/vtt"}, headers=graph_headers("thomas.roux"))
    assert response.headers["content-type"].startswith("text/vtt")
    assert response.text.startswith("WEBVTT")
    denied = await http.get(path, headers=graph_headers("karim.haddad"))
    assert (denied.status_code, denied.json()["error"]["code"]) == (404, "itemNotFound")


async def test_search_hits_have_graph_shape(http: httpx.AsyncClient, graph_headers: Any) -> None:
    body = {
        "requests": [
            {"entityTypes": ["driveItem"], "query": {"queryString": "astreintes"}, "from": 0, "size": 1}
        ]
    }
    result = (await http.post("/search/query", json=body, headers=graph_headers("claire.dubois"))).json()
    container = result["value"][0]["hitsContainers"][0]
    hit = container["hits"][0]
    assert set(hit) == {"hitId", "rank", "summary", "resource"}
    assert hit["rank"] == 1
    assert "<c0>" in hit["summary"]
    assert hit["resource"]["@odata.type"] == "#microsoft.graph.driveItem"
    assert container["moreResultsAvailable"] is (container["total"] > 1)


async def test_search_as_list_items(http: httpx.AsyncClient, graph_headers: Any) -> None:
    body = {"requests": [{"entityTypes": ["listItem"], "query": {"queryString": "RIGTT"}}]}
    result = (await http.post("/search/query", json=body, headers=graph_headers("claire.dubois"))).json()
    resources = [h["resource"] for h in result["value"][0]["hitsContainers"][0]["hits"]]
    assert {r["@odata.type"] for r in resources} == {"#microsoft.graph.listItem"}


async def test_search_is_accent_insensitive(http: httpx.AsyncClient, graph_headers: Any) -> None:
    def ids(query: str) -> Any:
        body = {"requests": [{"entityTypes": ["driveItem"], "query": {"queryString": query}}]}
        return http.post("/search/query", json=body, headers=graph_headers("nadia.benali"))

    accented, plain = await ids("épargne-temps congés"), await ids("EPARGNE-TEMPS conges")
    assert [h["hitId"] for h in accented.json()["value"][0]["hitsContainers"][0]["hits"]] == [
        h["hitId"] for h in plain.json()["value"][0]["hitsContainers"][0]["hits"]
    ]


async def test_file_content_is_served_directly(http: httpx.AsyncClient, graph_headers: Any) -> None:
    response = await http.get(
        "/drives/b!site-rh/items/doc-rigtt/content", headers=graph_headers("karim.haddad")
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


async def test_library_listing_hides_files_with_their_own_access_list(
    http: httpx.AsyncClient, graph_headers: Any
) -> None:
    async def names(user: str) -> set[str]:
        response = await http.get("/sites/site-rh/drive/root/children", headers=graph_headers(user))
        return {item["id"] for item in response.json()["value"]}

    assert "doc-procedure-monetisation-cet" in await names("karim.haddad")
    assert "doc-procedure-monetisation-cet" not in await names("claire.dubois")


async def test_sites_are_searched_among_the_visible_ones(http: httpx.AsyncClient, graph_headers: Any) -> None:
    async def ids(user: str) -> list[str]:
        response = await http.get("/sites", params={"search": "*"}, headers=graph_headers(user))
        return sorted(site["id"] for site in response.json()["value"])

    assert await ids("claire.dubois") == ["site-dtnib", "site-rh"]
    assert await ids("paul.henry") == ["site-rh", "site-securite-si"]
    assert await ids("helene.marchal") == ["site-direction", "site-dtnib", "site-rh"]
