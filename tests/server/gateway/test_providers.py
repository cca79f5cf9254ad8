from __future__ import annotations

from pydantic import SecretStr

from server.gateway.policy import Provider, ProviderKind
from server.gateway.providers import resolve_providers
from server.gateway.upstream_settings import UpstreamSettings


def test_an_operator_key_only_goes_to_the_url_the_operator_set():
    providers = {
        "policy_url_only": Provider(base_url="https://chosen-by-an-admin.example/v1"),
        "operator_url": Provider(base_url="https://ignored.example/v1"),
        "keyless": Provider(base_url="http://vllm.internal:8000/v1"),
    }
    upstreams = {
        "policy_url_only": UpstreamSettings(api_key=SecretStr("sk-operator")),
        "operator_url": UpstreamSettings(
            base_url="https://api.mistral.ai/v1", api_key=SecretStr("sk-operator")
        ),
    }

    resolved = resolve_providers(providers, upstreams)

    assert {name: provider.base_url for name, provider in resolved.items()} == {
        "operator_url": "https://api.mistral.ai/v1",
        "keyless": "http://vllm.internal:8000/v1",
    }


def test_only_the_operator_sends_the_local_model_to_another_gateway():
    providers = {"local": Provider(kind=ProviderKind.LOCAL, base_url="https://chosen-by-an-admin.example/v1")}

    assert resolve_providers(providers, {}) == {}  # the policy's URL is not followed: served in process
    moved = resolve_providers(
        providers, {"local": UpstreamSettings(base_url="http://ariane-embedder:8002/v1")}
    )
    assert {name: provider.base_url for name, provider in moved.items()} == {
        "local": "http://ariane-embedder:8002/v1"
    }
