"""The sample proxy log of the local tenant: what a fresh `ariane up` shows on the shadow-AI tab."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.app import create_app
from server.governance.runtime import seed_sample_report

pytestmark = pytest.mark.anyio
REPORTS = "/api/governance/shadow/reports"


async def test_a_fresh_start_imports_the_tenants_sample_log_once_with_several_services_and_job_categories(
    settings: Any, tenant_app: Any, token_for: Callable[[str], str], tmp_path: Path
) -> None:
    app = create_app(settings, identity_transport=httpx.ASGITransport(app=tenant_app))
    auditor = {"Authorization": f"Bearer {token_for('anne.lambert@chru-exemple.fr')}"}
    async with app.router.lifespan_context(app):
        await seed_sample_report(app.state.governance, tmp_path)
        await seed_sample_report(app.state.governance, tmp_path)  # a restart: no second copy
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://ariane.test"
        ) as api:
            reports = (await api.get(REPORTS, headers=auditor)).json()
            report = (await api.get(f"{REPORTS}/{reports[0]['id']}", headers=auditor)).json()

    [summary] = reports
    assert (summary["sample"], summary["source_format"]) == (True, "squid")
    assert summary["lines"] >= 100_000
    assert 0 < summary["malformed"] < summary["lines"] // 100  # broken lines counted and skipped
    assert summary["ai_lines"] > 0
    assert (summary["first_day"], summary["last_day"]) == ("2026-11-02", "2026-11-29")
    services = [service["ai_service"] for service in report["services"]]
    assert len(services) >= 5
    assert services[0] == "chatgpt"  # far ahead of the others
    categories = {group["label"] for group in report["by_job_category"]}
    assert {"Internes en médecine", "Médecins"} <= categories
    assert len(categories) >= 4
    assert len({week["week"] for week in report["weekly"]}) == 4
    assert (report["names_visible"], report["people"]) == (False, None)
