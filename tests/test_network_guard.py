import socket

import pytest

from tests.network_guard import NetworkAccessError


def test_connecting_to_a_remote_address_fails_the_test():
    with socket.socket() as sock, pytest.raises(NetworkAccessError):
        sock.connect(("192.0.2.10", 443))


def test_resolving_a_remote_name_fails_the_test():
    with pytest.raises(NetworkAccessError):
        socket.getaddrinfo("example.org", 443)


def test_loopback_stays_reachable():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.socket() as client:
            client.connect(server.getsockname())
