"""What the operator sets for one upstream provider (`ARIANE_GATEWAY_UPSTREAMS__<NAME>__<FIELD>`)."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr


class UpstreamSettings(BaseModel):
    """Overrides of a provider declared in the policy; unset fields keep the policy's values."""

    base_url: str | None = Field(None, description="e.g. `https://api.mistral.ai/v1`, `http://vllm:8000/v1`.")
    api_key: SecretStr | None = Field(None, description="Bearer key (Azure OpenAI: the `api-key`).")
    headers: dict[str, SecretStr] = Field(default_factory=dict, description="Extra headers sent upstream.")
    api_version: str | None = Field(None, description="Azure OpenAI `api-version`.")
    timeout_seconds: float | None = Field(None, gt=0, description="Read timeout of one upstream call.")
    enabled: bool = Field(True, description="False: the provider is treated as not configured.")
