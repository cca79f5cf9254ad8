"""msgraph-sdk against the tenant app in process, and the SDK pitfalls the client module avoids."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from msgraph.generated.sites.sites_request_builder import SitesRequestBuilder
from msgraph.graph_request_adapter import GraphRequestAdapter
from msgraph.graph_service_client import GraphServiceClient

from tests.tools.conftest import local_settings
from tools.m365 import Failure, GraphAccess, M365Error, M365Settings
from tools.m365.events import all_events, calendar_view

pytestmark = pytest.mark.anyio
Token = Callable[[str], str]


class AnonymousProvider(AccessTokenProvider):
    async def get_authorization_token(
        self, uri: str, additional_authentication_context: dict[str, Any] | None = None
    ) -> str:
        return ""

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return AllowedHostsValidator([])


async def test_me_paths_reach_the_tenant_as_the_user(graph: GraphAccess, token_for: Token) -> None:
    client = graph.client_for(token_for("claire.dubois@chru-exemple.fr"))
    me = await graph.call(client.me.get())
    assert (me.display_name, me.mail) == ("Claire Dubois", "claire.dubois@chru-exemple.fr")  # type: ignore[union-attr]


async def test_the_adapter_base_url_is_the_tenant_not_graph(graph: GraphAccess, token_for: Token) -> None:
    client = graph.client_for(token_for("claire.dubois@chru-exemple.fr"))
    assert client.request_adapter.base_url == "http://127.0.0.1:8001/v1.0"


async def test_without_the_setter_the_client_would_call_the_real_graph() -> None:
    # The pitfall itself: an adapter left without a base URL is pointed at graph.microsoft.com.
    http = httpx.AsyncClient()
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(AnonymousProvider()), client=http)
    assert (
        GraphServiceClient(request_adapter=adapter).request_adapter.base_url
        == "https://graph.microsoft.com/v1.0"
    )
    await http.aclose()


async def test_concurrent_users_never_share_a_token(graph: GraphAccess, token_for: Token) -> None:
    users = ["claire.dubois", "karim.haddad", "paul.henry", "helene.marchal"] * 3
    results: dict[int, str] = {}

    async def whoami(index: int, user: str) -> None:
        me = await graph.call(graph.client_for(token_for(f"{user}@chru-exemple.fr")).me.get())
        results[index] = me.mail or ""  # type: ignore[union-attr]

    async with anyio.create_task_group() as group:
        for index, user in enumerate(users):
            group.start_soon(whoami, index, user)
    assert [results[i] for i in range(len(users))] == [f"{u}@chru-exemple.fr" for u in users]


async def test_hidden_items_fail_as_not_found(graph: GraphAccess, token_for: Token) -> None:
    client = graph.client_for(token_for("karim.haddad@chru-exemple.fr"))
    with pytest.raises(M365Error) as caught:
        await graph.call(client.me.events.by_event_id("evt-ag-dtnib-2025-06-19").get())
    assert (caught.value.failure, caught.value.code) == (Failure.NOT_FOUND, "itemNotFound")


async def test_a_forged_user_token_is_refused_by_the_exchange(graph: GraphAccess) -> None:
    with pytest.raises(M365Error) as caught:
        await graph.call(graph.client_for("not-a-token").me.get())
    assert caught.value.failure is Failure.UNAUTHENTICATED


async def test_an_unreachable_tenant_is_unavailable(token_for: Token) -> None:
    async def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    access = GraphAccess(local_settings(), transport=httpx.MockTransport(refuse))
    with pytest.raises(M365Error) as caught:
        await access.call(access.client_for(token_for("claire.dubois@chru-exemple.fr")).me.get())
    await access.aclose()
    assert caught.value.failure is Failure.UNAVAILABLE


async def test_graph_out_of_reach_is_logged_with_its_cause_not_the_user_s_words(
    token_for: Token, caplog: pytest.LogCaptureFixture
) -> None:
    token = token_for("claire.dubois@chru-exemple.fr")
    graph = GraphAccess(local_settings(), transport=httpx.MockTransport(_answers_tokens_but_not_graph))
    params = SitesRequestBuilder.SitesRequestBuilderGetQueryParameters(search="dossier confidentiel")
    with caplog.at_level(logging.WARNING, logger="tools.m365.client"), pytest.raises(M365Error):
        await graph.call(graph.client_for(token).sites.get(RequestConfiguration(query_parameters=params)))
    await graph.aclose()
    assert "ReadTimeout" in caplog.text  # what failed
    assert "GET /v1.0/sites" in caplog.text  # and where
    assert "confidentiel" not in caplog.text
    assert token not in caplog.text


async def _answers_tokens_but_not_graph(request: httpx.Request) -> httpx.Response:
    if "/oauth2/" in request.url.path:  # the on-behalf-of exchange
        return httpx.Response(
            200, json={"access_token": "graph-token", "token_type": "Bearer", "expires_in": 3600}
        )
    raise httpx.ReadTimeout("timed out", request=request)


async def test_paging_is_followed_to_the_last_page(graph: GraphAccess, token_for: Token) -> None:
    client = graph.client_for(token_for("helene.marchal@chru-exemple.fr"))
    events = await all_events(graph, client)
    assert len(events) > 20  # more than one page of `$top=50`? at least more than Graph's default 10
    assert len({e.id for e in events}) == len(events)


async def test_calendar_view_gives_paris_times(graph: GraphAccess, token_for: Token) -> None:
    from datetime import datetime

    from tools.m365.events import PARIS

    client = graph.client_for(token_for("claire.dubois@chru-exemple.fr"))
    day = datetime(2025, 6, 19, tzinfo=PARIS)
    events = await calendar_view(graph, client, day, day.replace(day=20))
    assert [(e.id, e.start.isoformat()) for e in events] == [
        ("evt-ag-dtnib-2025-06-19", "2025-06-19T09:00:00+02:00")
    ]


async def test_real_graph_target_uses_entra_on_behalf_of(tenant_app: FastAPI) -> None:
    settings = M365Settings(target="graph", tenant_id="00000000-0000-0000-0000-000000000001", _env_file=None)  # type: ignore[call-arg]
    access = GraphAccess(settings)
    client = access.client_for("user-assertion")
    assert client.request_adapter.base_url == "https://graph.microsoft.com/v1.0"
    assert isinstance(client.request_adapter._authentication_provider, AzureIdentityAuthenticationProvider)  # type: ignore[attr-defined]
    await access.aclose()


async def test_me_paths_need_graph_middleware_on_a_custom_http_client(
    tenant_app: FastAPI, token_for: Token
) -> None:
    # Without the SDK's URL-replace middleware, `client.me` asks for `/users/me-token-to-replace`.
    access = GraphAccess(local_settings(), transport=httpx.ASGITransport(app=tenant_app))
    bare = httpx.AsyncClient(transport=httpx.ASGITransport(app=tenant_app))
    token = await access._exchanger.graph_token(token_for("claire.dubois@chru-exemple.fr"))  # type: ignore[union-attr]
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticProvider(token)), client=bare)
    adapter.base_url = "http://127.0.0.1:8001/v1.0"
    with pytest.raises(M365Error) as caught:
        await access.call(GraphServiceClient(request_adapter=adapter).me.get())
    assert caught.value.code == "Request_ResourceNotFound"
    await bare.aclose()
    await access.aclose()


class StaticProvider(AnonymousProvider):
    def __init__(self, token: str) -> None:
        self.token = token

    async def get_authorization_token(
        self, uri: str, additional_authentication_context: dict[str, Any] | None = None
    ) -> str:
        return self.token


async def test_evicted_clients_on_behalf_of_credentials_are_closed_not_kept(
    tenant_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from azure.identity.aio import OnBehalfOfCredential

    closed: list[object] = []
    original = OnBehalfOfCredential.close

    async def counting_close(self: OnBehalfOfCredential) -> None:
        closed.append(self)
        await original(self)

    monkeypatch.setattr(OnBehalfOfCredential, "close", counting_close)
    settings = M365Settings(  # type: ignore[call-arg]
        target="graph", tenant_id="00000000-0000-0000-0000-000000000001", client_secret="s", _env_file=None
    )
    access = GraphAccess(settings)
    for index in range(300):
        access.client_for(f"assertion-{index}")
    await anyio.sleep(0.01)  # evictions close their credentials in the background

    assert len(closed) == 300 - 256  # those of the evicted clients, at once
    assert access.open_credentials == 256  # one per cached client, however many users came by
    await access.aclose()
    assert len({id(credential) for credential in closed}) == 300  # each closed once, none kept
    assert access.open_credentials == 0
