"""Building the registry of one server process from its settings."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from server.egress.guard import allow_list
from server.registry.runtime import CircuitBreaker, RateLimiter, RegistryRuntime
from server.registry.sandbox import Sandbox
from server.registry.sealing import SecretBox
from server.registry.service import RegistryConfig, RegistryService
from server.settings import Settings
from tools.database import Pool


def registry_runtime(settings: Settings, pool: Pool, builtins: dict[str, MCPServer[Any]]) -> RegistryRuntime:
    """The registry over `pool`, Ariane's own servers being `builtins` (name → server)."""
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
    )
    box = SecretBox.from_settings(settings.registry_secret_key, settings.data_dir)
    registry = RegistryService(pool, config, box, builtins, egress=allow_list(settings.ssrf_allowed_hosts))
    return RegistryRuntime(
        registry,
        limiter=RateLimiter(pool),
        breaker=CircuitBreaker(config.breaker_failures, config.breaker_seconds),
    )
