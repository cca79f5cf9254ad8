"""Building the registry of one server process from its settings."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from server.egress.guard import allow_list
from server.registry.runner_client import RunnerAddress
from server.registry.runtime import CircuitBreaker, RateLimiter, RegistryRuntime
from server.registry.sandbox import Sandbox
from server.registry.sealing import SecretBox
from server.registry.service import RegistryConfig, RegistryService
from server.settings import Settings
from tools.database import Pool


def registry_runtime(
    settings: Settings,
    pool: Pool,
    builtins: dict[str, MCPServer[Any]],
    *,
    local_stdio: bool = True,
    runner: bool = True,
) -> RegistryRuntime:
    """The registry over `pool`, Ariane's own servers being `builtins` (name → server).

    stdio servers go through the tool runner when `ARIANE_REGISTRY_RUNNER_URL` is set (and `runner`:
    not in the runner itself); otherwise this process starts them only with `local_stdio`.
    """
    address = None
    if runner and settings.registry_runner_url:
        address = RunnerAddress(settings.registry_runner_url, settings.registry_runner_key.get_secret_value())
    config = RegistryConfig(
        connect_timeout=settings.registry_connect_timeout_seconds,
        tool_timeout=settings.registry_tool_timeout_seconds,
        rate_per_minute=settings.registry_rate_per_minute,
        max_result_bytes=settings.registry_max_result_bytes,
        breaker_failures=settings.registry_breaker_failures,
        breaker_seconds=settings.registry_breaker_seconds,
        allowed_commands=dict(settings.registry_commands),
        sandbox=Sandbox(
            settings.registry_sandbox, settings.registry_sandbox_uid, settings.registry_sandbox_uid
        ),
        runner=address,
        local_stdio=local_stdio,
    )
    box = SecretBox.from_settings(settings.registry_secret_key, settings.data_dir)
    registry = RegistryService(pool, config, box, builtins, egress=allow_list(settings.ssrf_allowed_hosts))
    return RegistryRuntime(
        registry,
        limiter=RateLimiter(pool),
        breaker=CircuitBreaker(config.breaker_failures, config.breaker_seconds),
    )
