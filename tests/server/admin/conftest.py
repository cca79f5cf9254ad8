"""The administration is tested on the same in-process gateway as `/v1`."""

from tests.server.gateway.conftest import (  # noqa: F401 - fixtures
    auth,
    embedder,
    gateway,
    gateway_settings,
    make_gateway_client,
    spans,
    upstream,
)
