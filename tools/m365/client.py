"""`GraphServiceClient` for the calling user, against the local tenant or the real Graph.

Pitfalls of msgraph-sdk this module avoids (each has a test in tests/tools/m365):
- the adapter's base URL must be set through the `base_url` setter, and before the client is built
  (the client copies it into its path parameters); a constructor argument is ignored;
- `client.me` builds `/users/me-token-to-replace/...`, which only the SDK's URL-replace middleware turns
  into `/me/...`: an httpx client passed in must get Graph's default middleware, options included;
- every client is built for one user and carries no shared request headers, so one user's token never
  rides on another user's request.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from azure.identity.aio import CertificateCredential, ClientSecretCredential, OnBehalfOfCredential
from kiota_abstractions.api_error import APIError
from kiota_abstractions.authentication import AuthenticationProvider, BaseBearerTokenAuthenticationProvider
from kiota_abstractions.request_information import RequestInformation
from kiota_abstractions.serialization import ParsableFactory
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.graph_request_adapter import GraphRequestAdapter
from msgraph.graph_request_adapter import options as graph_middleware_options
from msgraph.graph_service_client import GraphServiceClient
from msgraph_core import GraphClientFactory  # type: ignore[import-untyped]

from tools.m365.app_only import APP_SCOPE, AppTokenProvider
from tools.m365.errors import Failure, M365Error, failure_for_status
from tools.m365.obo import OboExchanger, OboTokenProvider
from tools.m365.settings import M365Settings
from tools.m365.timing import GraphClock
from tools.tenant.directory import load_directory

logger = logging.getLogger(__name__)
T = TypeVar("T")
_CLIENT_CACHE = 256
_ERRORS: dict[str, type[ParsableFactory[Any]]] = {"XXX": ODataError}  # as the SDK's own builders map them


class GraphAccess:
    """Builds a Graph client per user token; one shared HTTP connection pool for all of them."""

    def __init__(
        self,
        settings: M365Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: GraphClock | None = None,
    ) -> None:
        """`transport` lets tests and benchmarks reach an in-process tenant; `clock` times Graph calls."""
        self.settings = settings
        self.clock = clock or GraphClock()
        timeout = httpx.Timeout(settings.timeout_seconds)
        self._http = GraphClientFactory.create_with_default_middleware(
            client=httpx.AsyncClient(transport=transport, timeout=timeout),
            options=graph_middleware_options,
        )
        self._token_http = httpx.AsyncClient(transport=transport, timeout=timeout)
        self._clients: OrderedDict[str, GraphServiceClient] = OrderedDict()
        self._credentials: list[ClientSecretCredential | CertificateCredential] = []
        # Each cached client's on-behalf-of credential (its user's tokens), evicted and closed with it.
        self._obo: dict[str, OnBehalfOfCredential] = {}
        self._closing: set[asyncio.Task[None]] = set()
        self._exchanger = self._local_exchanger() if settings.target == "local" else None
        self._app_client: GraphServiceClient | None = None

    @property
    def base_url(self) -> str:
        """Graph's base URL for the configured target."""
        if self.settings.target == "local":
            return self.settings.local_graph_url
        return self.settings.graph_url.rstrip("/")

    def client_for(self, user_token: str) -> GraphServiceClient:
        """A client acting as the user of `user_token` (cached per token)."""
        key = hashlib.sha256(user_token.encode()).hexdigest()
        client = self._clients.get(key)
        if client is None:
            adapter = GraphRequestAdapter(self._auth_provider(key, user_token), client=self._http)
            adapter.base_url = self.base_url  # before GraphServiceClient, which copies it
            client = GraphServiceClient(request_adapter=adapter)
            self._clients[key] = client
            while len(self._clients) > _CLIENT_CACHE:
                evicted, _ = self._clients.popitem(last=False)
                self._close_credential(evicted)
        else:
            self._clients.move_to_end(key)
        return client

    async def read(self, builder: Any, request: RequestInformation) -> Any:
        """Send a request msgraph-sdk built (URL, query, authentication) and return its JSON as data.

        The hot paths read a few fields of Graph's answers: parsed by kiota into SDK models, those
        answers cost a third of a tool call (per-call imports, field maps and backing stores of every
        nested object); `json.loads` and a few lookups cost a fraction of that.

        Raises:
            M365Error: as `call`.
        """
        adapter = builder.request_adapter
        raw = await self.call(adapter.send_primitive_async(request, "bytes", _ERRORS))
        return json.loads(raw) if raw else None

    def app_client(self) -> GraphServiceClient:
        """A client acting as the application itself (client credentials; its application permissions).

        Only for work no user is present for (a mail trigger watching a shared mailbox): Exchange
        scopes the application's mail permissions to the mailboxes its access policy lists.
        """
        if self._app_client is None:
            adapter = GraphRequestAdapter(self._app_auth_provider(), client=self._http)
            adapter.base_url = self.base_url
            self._app_client = GraphServiceClient(request_adapter=adapter)
        return self._app_client

    async def call(self, request: Awaitable[T]) -> T:
        """Await a Graph request, timing it and turning SDK and network errors into `M365Error`.

        Raises:
            M365Error: with the failure the status or the network problem means.
        """
        start = time.perf_counter()
        try:
            return await request
        except ODataError as exc:
            code = exc.error.code if exc.error else None
            message = (exc.error.message if exc.error else None) or str(exc)
            raise M365Error(failure_for_status(exc.response_status_code), message or "", code) from exc
        except APIError as exc:
            raise M365Error(failure_for_status(exc.response_status_code), str(exc)) from exc
        except httpx.HTTPError as exc:
            # The user is told « Microsoft 365 indisponible »; the operator needs the cause and the
            # path (a timeout, a refused connection), never the query or the headers.
            elapsed = time.perf_counter() - start
            logger.warning("Graph unreachable after %.1f s (%s): %r", elapsed, _request_of(exc), exc)
            raise M365Error(Failure.UNAVAILABLE, f"Graph unreachable: {exc!r}") from exc
        finally:
            self.clock.add(time.perf_counter() - start)

    def _close_credential(self, key: str) -> None:
        # An evicted client's credential holds its user's tokens and its own HTTP pipeline: closed now,
        # not kept until shutdown (a long-running server meets thousands of tokens a day).
        credential = self._obo.pop(key, None)
        if credential is not None:
            task = asyncio.ensure_future(credential.close())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    @property
    def open_credentials(self) -> int:
        """How many on-behalf-of credentials are held (at most one per cached client)."""
        return len(self._obo)

    async def aclose(self) -> None:
        """Close the HTTP pools and the on-behalf-of credentials."""
        for credential in [*self._credentials, *self._obo.values()]:
            await credential.close()
        self._obo.clear()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
        await self._http.aclose()
        await self._token_http.aclose()

    def _local_exchanger(self) -> OboExchanger:
        tenant_id = self.settings.tenant_id or load_directory().tenant.id
        secret = self.settings.client_secret
        return OboExchanger(
            self._token_http,
            f"{self.settings.tenant_url.rstrip('/')}/{tenant_id}/oauth2/v2.0/token",
            self.settings.client_id,
            secret.get_secret_value() if secret else "",
            " ".join(self.settings.scopes),
        )

    def _app_auth_provider(self) -> AuthenticationProvider:
        settings = self.settings
        if settings.target == "local":
            tenant_id = settings.tenant_id or load_directory().tenant.id
            host = urlsplit(settings.tenant_url).hostname or "127.0.0.1"
            secret = settings.client_secret.get_secret_value() if settings.client_secret else ""
            token_url = f"{settings.tenant_url.rstrip('/')}/{tenant_id}/oauth2/v2.0/token"
            provider = AppTokenProvider(self._token_http, token_url, settings.client_id, secret, [host])
            return BaseBearerTokenAuthenticationProvider(provider)
        if not settings.tenant_id:
            raise M365Error(Failure.UNAVAILABLE, "ARIANE_M365_TENANT_ID is required with target 'graph'")
        credential: ClientSecretCredential | CertificateCredential
        if settings.client_certificate_path is not None:
            credential = CertificateCredential(
                settings.tenant_id,
                settings.client_id,
                certificate_data=settings.client_certificate_path.read_bytes(),
                authority=settings.authority_host,
            )
        elif settings.client_secret is not None:
            credential = ClientSecretCredential(
                settings.tenant_id, settings.client_id, settings.client_secret.get_secret_value(),
                authority=settings.authority_host,
            )  # fmt: skip
        else:
            raise M365Error(
                Failure.UNAVAILABLE, "a client secret or certificate is required with target 'graph'"
            )
        self._credentials.append(credential)
        return AzureIdentityAuthenticationProvider(credential, scopes=[APP_SCOPE])

    def _auth_provider(self, key: str, user_token: str) -> AuthenticationProvider:
        if self._exchanger is not None:
            host = urlsplit(self.settings.tenant_url).hostname or "127.0.0.1"
            return BaseBearerTokenAuthenticationProvider(
                OboTokenProvider(self._exchanger, user_token, [host])
            )
        credential = self._obo_credential(user_token)
        self._obo[key] = credential
        return AzureIdentityAuthenticationProvider(credential, scopes=self.settings.scopes)

    def _obo_credential(self, user_token: str) -> OnBehalfOfCredential:
        settings = self.settings
        if not settings.tenant_id:
            raise M365Error(Failure.UNAVAILABLE, "ARIANE_M365_TENANT_ID is required with target 'graph'")
        if settings.client_certificate_path is not None:
            credential = OnBehalfOfCredential(
                settings.tenant_id,
                settings.client_id,
                client_certificate=settings.client_certificate_path.read_bytes(),
                user_assertion=user_token,
                authority=settings.authority_host,
            )
        elif settings.client_secret is not None:
            credential = OnBehalfOfCredential(
                settings.tenant_id,
                settings.client_id,
                client_secret=settings.client_secret.get_secret_value(),
                user_assertion=user_token,
                authority=settings.authority_host,
            )
        else:
            raise M365Error(
                Failure.UNAVAILABLE, "a client secret or certificate is required with target 'graph'"
            )
        return credential


def _request_of(exc: httpx.HTTPError) -> str:
    """The failed request's method and path (not its query, which may carry a user's words)."""
    try:
        request = exc.request
    except RuntimeError:  # httpx raises when the error carries no request
        return "?"
    return f"{request.method} {request.url.path}"
