"""The SSRF guard: URLs a user gave (registered tool servers, their OAuth issuers) reach public hosts only.

Every request's host is resolved first; if any of its addresses is private, loopback, link-local
(the cloud metadata service among them), multicast, reserved or otherwise not globally routable, and
is not on the administrators' allow-list, the request is refused before any connection. Otherwise the
connection goes to the address that was checked (the URL's host is replaced by it, the `Host` header
and the TLS server name keep the name), so that a second DNS answer cannot swap in an internal one
(DNS rebinding). All refusals raise the same error as an unreachable server: whoever registers a URL
learns nothing about what listens inside. Upstreams set by administrators (model providers, UiPath,
Microsoft Graph) do not go through this guard.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

import anyio
import httpx2

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]

# Globally routable in the registries but not a place a user's URL should lead to.
_ALWAYS_BLOCKED = [ipaddress.ip_network(n) for n in ("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15")]


class BlockedAddressError(httpx2.ConnectError):
    """The URL leads to an address users may not reach through Ariane (the message says no more)."""


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address of `host` (the system resolver, in a thread)."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class EgressPolicy:
    """The administrators' allow-list: host names, addresses, networks, each optionally with `:port`."""

    allowed: tuple[str, ...] = ()
    _networks: list[tuple[Network, int | None]] = field(default_factory=list, repr=False, compare=False)
    _names: list[tuple[str, int | None]] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        for entry in self.allowed:
            target, port = _split_port(entry.strip())
            try:
                self._networks.append((ipaddress.ip_network(target.strip("[]"), strict=False), port))
            except ValueError:
                self._names.append((target.lower().rstrip("."), port))

    def names_host(self, host: str, port: int) -> bool:
        """True when the host name itself is allowed (it is then not resolved nor checked)."""
        host = host.lower().rstrip(".")
        return any(name == host and (allowed is None or allowed == port) for name, allowed in self._names)

    def admits(self, address: Address, port: int) -> bool:
        """True when `address` may be reached: public, or on the allow-list."""
        address = _unmapped(address)
        for network, allowed in self._networks:
            if address in network and (allowed is None or allowed == port):
                return True
        if any(address in network for network in _ALWAYS_BLOCKED):
            return False
        return address.is_global and not address.is_multicast


class GuardedTransport(httpx2.AsyncBaseTransport):
    """An httpx2 transport that checks, then pins, the address of every request (see the module)."""

    def __init__(
        self,
        policy: EgressPolicy,
        inner: httpx2.AsyncBaseTransport | None = None,
        resolver: Resolver = system_resolver,
    ) -> None:
        self._policy = policy
        self._inner = inner or httpx2.AsyncHTTPTransport()
        self._resolve = resolver

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        """Refuse a request to a blocked address; send the others to the address that was checked.

        Raises:
            BlockedAddressError: the host is not allowed, or does not resolve.
        """
        url = request.url
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        if self._policy.names_host(host, port):
            return await self._inner.handle_async_request(request)
        address = await self._checked(host, port)
        if str(address) != host:
            request.url = url.copy_with(host=str(address))
            request.extensions = {**request.extensions, "sni_hostname": host}
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self._inner.aclose()

    async def _checked(self, host: str, port: int) -> Address:
        literal = _literal(host)
        try:
            found = (
                [literal]
                if literal is not None
                else [ipaddress.ip_address(a) for a in await self._resolve(host, port)]
            )
        except (OSError, ValueError):
            raise _blocked() from None
        if not found or not all(self._policy.admits(address, port) for address in found):
            raise _blocked()
        return _unmapped(found[0])


def _blocked() -> BlockedAddressError:
    return BlockedAddressError("adresse non autorisée")


def _literal(host: str) -> Address | None:
    """An address written in the URL, in any of the forms resolvers accept (`2130706433`, `0x7f.1`…)."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:  # inet_aton reads the historical forms (decimal, octal, hexadecimal, short dotted)
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _unmapped(address: Address) -> Address:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), which is where it leads."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _split_port(entry: str) -> tuple[str, int | None]:
    if entry.startswith("["):
        target, _, rest = entry[1:].partition("]")
        return target, int(rest[1:]) if rest.startswith(":") else None
    if entry.count(":") == 1:
        target, _, port = entry.partition(":")
        return target, int(port)
    return entry, None


def allow_list(entries: Iterable[str]) -> EgressPolicy:
    """The policy of `ARIANE_SSRF_ALLOWED_HOSTS`."""
    return EgressPolicy(tuple(entries))
