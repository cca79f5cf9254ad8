"""The SSRF guard on URLs users give: internal addresses refused in every spelling, after DNS, with one
error; the connection pinned to the address that was checked; the administrators' allow-list."""

import httpx2
import pytest

from server.egress.guard import BlockedAddressError, EgressPolicy, GuardedTransport

pytestmark = pytest.mark.anyio

INTERNAL = [
    "http://127.0.0.1:8001/robot-api/incidents",  # the tenant's robot API
    "http://localhost:8000/api/admin/gateway/policy",  # Ariane's own admin API
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://10.0.0.5/mcp",
    "http://172.16.3.4/mcp",
    "http://192.168.1.10/mcp",
    "http://100.64.0.1/mcp",
    "http://0.0.0.0:8000/mcp",
    "http://[::1]:8000/mcp",
    "http://[::ffff:127.0.0.1]:8000/mcp",
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
    "http://2130706433:8000/mcp",  # 127.0.0.1 in decimal
    "http://0x7f.1:8000/mcp",
    "http://017700000001:8000/mcp",  # octal
    "http://224.0.0.1/mcp",
]


class Recorder:
    """An inner transport (tests only) that records what would have been sent."""

    def __init__(self) -> None:
        self.sent: list[httpx2.Request] = []

    def transport(self) -> httpx2.MockTransport:
        def answer(request: httpx2.Request) -> httpx2.Response:
            self.sent.append(request)
            return httpx2.Response(200, json={"ok": True})

        return httpx2.MockTransport(answer)


def resolver_of(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("unknown host")
        return table[host]

    return resolve


@pytest.mark.parametrize("url", INTERNAL)
async def test_every_spelling_of_an_internal_address_is_refused_before_any_connection(url):
    recorder = Recorder()
    guard = GuardedTransport(
        EgressPolicy(), recorder.transport(), resolver_of({"localhost": ["127.0.0.1", "::1"]})
    )

    async with httpx2.AsyncClient(transport=guard) as client:
        with pytest.raises(BlockedAddressError) as raised:
            await client.get(url)

    assert str(raised.value) == "adresse non autorisée"
    assert recorder.sent == []


async def test_a_name_resolving_to_any_internal_address_is_refused():
    recorder = Recorder()
    table = {"rebind.example": ["93.184.216.34", "127.0.0.1"], "absent.example": []}
    guard = GuardedTransport(EgressPolicy(), recorder.transport(), resolver_of(table))

    async with httpx2.AsyncClient(transport=guard) as client:
        for url in ("http://rebind.example/mcp", "http://absent.example/mcp", "http://unknown.example/"):
            with pytest.raises(BlockedAddressError):
                await client.get(url)

    assert recorder.sent == []


async def test_a_public_name_is_reached_at_the_address_that_was_checked():
    recorder = Recorder()
    guard = GuardedTransport(
        EgressPolicy(), recorder.transport(), resolver_of({"outils.example.org": ["93.184.216.34"]})
    )

    async with httpx2.AsyncClient(transport=guard) as client:
        response = await client.get("https://outils.example.org/mcp?x=1")

    assert response.status_code == 200
    [sent] = recorder.sent
    assert (str(sent.url), sent.headers["host"]) == ("https://93.184.216.34/mcp?x=1", "outils.example.org")
    assert sent.extensions["sni_hostname"] == "outils.example.org"


async def test_the_allow_list_opens_exactly_what_it_names():
    recorder = Recorder()
    policy = EgressPolicy(("127.0.0.1:8010", "10.20.0.0/16", "outils.intra"))
    guard = GuardedTransport(policy, recorder.transport(), resolver_of({}))

    async with httpx2.AsyncClient(transport=guard) as client:
        for url in ("http://127.0.0.1:8010/mcp", "http://10.20.3.4/mcp", "http://outils.intra/mcp"):
            assert (await client.get(url)).status_code == 200
        for url in ("http://127.0.0.1:8011/mcp", "http://10.21.0.1/mcp"):
            with pytest.raises(BlockedAddressError):
                await client.get(url)

    assert len(recorder.sent) == 3
