"""The certification pack: one self-contained HTML file, signed with the audit anchor key, no names."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from server.audit.anchors import AnchorKey
from server.audit.runtime import anchor_folder
from server.governance.pack import verify_pack

pytestmark = pytest.mark.anyio


async def test_the_pack_is_self_contained_signed_and_names_nobody(
    api: httpx.AsyncClient, token_for: Callable[[str], str], settings: Any
) -> None:
    auditor = {"Authorization": f"Bearer {token_for('anne.lambert@chru-exemple.fr')}"}
    log = "\n".join(
        f"{1796000000 + i}.000 10 10.0.0.{i} TCP_MISS/200 {900 + i} CONNECT chatgpt.com:443 "
        f"{user} HIER_DIRECT/1.2.3.4 -"
        for i, user in enumerate(["claire.dubois", "marc.lefevre", "ines.moreau"])
    )
    admin = {"Authorization": f"Bearer {token_for('thomas.roux@chru-exemple.fr')}"}
    policy = (await api.get("/api/admin/gateway/policy", headers=admin)).json()
    saved = await api.put(
        "/api/admin/gateway/policy",
        json={"document": policy["document"], "comment": "Revue annuelle", "base_version": policy["version"]},
        headers=admin,
    )
    uploaded = await api.post(
        "/api/governance/shadow/reports?name=essai&format=squid", content=log, headers=admin
    )

    response = await api.get("/api/governance/pack", headers=auditor)
    staff = await api.get(
        "/api/governance/pack",
        headers={"Authorization": f"Bearer {token_for('claire.dubois@chru-exemple.fr')}"},
    )

    assert saved.status_code == 200, saved.text
    assert uploaded.status_code == 201, uploaded.text
    assert response.status_code == 200, response.text
    assert staff.status_code == 403
    html = response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "Coach Temps de Travail" in html
    assert "Journal d'audit" in html
    policy_history = html.split("<h2>Historique de la politique des modèles</h2>", 1)[1].split("<h2>")[0]
    assert f"<td>{saved.json()['version']}</td>" in policy_history
    assert "<td>thomas.roux@chru-exemple.fr</td><td>Revue annuelle</td>" in policy_history
    assert "<h2>Qualité des documents de référence</h2>" in html
    assert not re.search(r"""(src|href)\s*=|@import|url\(""", html)  # nothing fetched from anywhere
    book = AnchorKey(anchor_folder(settings))  # the key file `ariane up` made and signed with
    assert verify_pack(html, book)
    assert not verify_pack(html.replace("Coach Temps de Travail", "Coach Temps de travail", 1), book)
    assert "essai : 3 lignes, 3 vers des services d'IA" in html
    assert "claire.dubois" not in html  # counts only: the pack never names a person
