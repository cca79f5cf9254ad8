"""Replay refusals in the auditor's language: French by default, English when asked (and what is missing)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("capture", [False], indirect=True)
async def test_what_a_replay_misses_is_told_in_french_by_default_and_in_english_when_asked(
    ask, ariane, headers
):
    run = await ask("claire.dubois")
    url = f"/api/audit/runs/{run['id']}/replay"

    french = await ariane.post(url, json={}, headers=headers("anne.lambert"))
    english = await ariane.post(url, json={}, headers={**headers("anne.lambert"), "Accept-Language": "en"})

    assert (french.status_code, french.json()) == (
        409,
        {
            "error": "content_not_captured",
            "detail": "Rejeu impossible : le contenu de cette exécution n'a pas été capturé (le message de"
            " l'utilisateur, le contenu de 4 échange(s) avec les modèles et les outils, la réponse donnée).",
        },
    )
    assert english.json() == {
        "error": "content_not_captured",
        "detail": "Replay impossible: the content of this run was not captured (the user's message, the"
        " content of 4 exchange(s) with the models and the tools, the answer given).",
    }
