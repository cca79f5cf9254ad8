"""A gateway that does not answer (down, or its connection timing out under load) is a typed outcome.

The load benchmark's 32 users once ended a turn `internal_error`: listing the models timed out on the
saturated server and the transport's exception escaped the run. Listing the models now falls back
(« model failed », the cause named), and an embedding the run needs ends it with a typed error.
"""

from __future__ import annotations

import httpx
import pytest

from agents.fallback import FallbackReason
from agents.models import ModelAccess, ModelUnavailableError

pytestmark = pytest.mark.anyio


def _unreachable_gateway_fake(error: type[httpx.TransportError]) -> httpx.MockTransport:
    """A transport whose every request fails as `error` (a fake: the gateway is never reached)."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise error("gateway unreachable (fake)", request=request)

    return httpx.MockTransport(refuse)


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout])
async def test_an_unreachable_gateway_is_a_model_failure_fallback_when_choosing_a_model(error) -> None:
    models = ModelAccess("http://gateway.test", "token", transport=_unreachable_gateway_fake(error))
    try:
        choice = await models.chat_model("internal")
    finally:
        await models.aclose()

    assert choice.model is None
    assert choice.fallback is not None
    assert (choice.fallback.reason, choice.fallback.detail) == (
        FallbackReason.MODEL_FAILED,
        "la passerelle des modèles n'a pas répondu",
    )


async def test_a_gateway_answering_what_is_not_its_json_is_a_model_failure_fallback() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, text="<html>proxy</html>"))
    models = ModelAccess("http://gateway.test", "token", transport=transport)
    try:
        choice = await models.chat_model("internal")
    finally:
        await models.aclose()

    assert choice.fallback is not None
    assert choice.fallback.reason == FallbackReason.MODEL_FAILED


async def test_an_unreachable_gateway_fails_an_embedding_with_a_typed_error() -> None:
    models = ModelAccess(
        "http://gateway.test", "token", transport=_unreachable_gateway_fake(httpx.ConnectTimeout)
    )
    try:
        with pytest.raises(ModelUnavailableError) as raised:
            await models.embed(["Bonjour"])
    finally:
        await models.aclose()

    assert raised.value.code == "gateway_unreachable"
