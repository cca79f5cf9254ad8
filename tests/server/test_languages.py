"""Errors of /api in the caller's language: French by default, English when the client asks it."""

from __future__ import annotations

import pytest

from tools.i18n import negotiate

pytestmark = pytest.mark.anyio

CLAIRE = "claire.dubois@chru-exemple.fr"  # staff, not an administrator


def _bearer(token: str, language: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    return {**headers, "Accept-Language": language} if language else headers


async def test_a_refusal_is_in_french_by_default_and_in_english_when_asked(api, token_for):
    french = await api.get("/api/admin/usage", headers=_bearer(token_for(CLAIRE)))
    english = await api.get("/api/admin/usage", headers=_bearer(token_for(CLAIRE), "en"))

    assert (french.status_code, french.json()) == (
        403,
        {"error": "forbidden", "detail": "Votre profil ne donne pas accès à cette fonction."},
    )
    assert (english.status_code, english.json()) == (
        403,
        {"error": "forbidden", "detail": "Your profile does not give access to this function."},
    )


async def test_the_generic_envelopes_follow_the_language_too(api, token_for):
    unsigned = await api.get("/api/me", headers={"Accept-Language": "en-US,en;q=0.9"})
    missing = await api.get("/api/nowhere", headers={"Accept-Language": "en"})
    invalid = await api.get(
        "/api/admin/usage?days=0", headers=_bearer(token_for("thomas.roux@chru-exemple.fr"), "en")
    )

    assert unsigned.json() == {
        "error": "not_authenticated",
        "detail": "Sign-in required: present an access token.",
    }
    assert missing.json() == {"error": "not_found", "detail": "This address does not exist."}
    assert invalid.json() == {"error": "invalid_request", "detail": "Invalid request (query.days)."}
    french = await api.get("/api/nowhere", headers={"Accept-Language": "de-DE,fr;q=0.1"})
    assert french.json() == {"error": "not_found", "detail": "Cette adresse n'existe pas."}


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "fr"),
        ("", "fr"),
        ("en", "en"),
        ("en-GB;q=0.8, fr;q=0.5", "en"),
        ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
        ("de, en;q=0.3", "en"),
        ("de", "fr"),
        ("en;q=0, fr", "fr"),
        ("en;q=abc", "fr"),
    ],
)
def test_the_language_is_negotiated_from_accept_language(header, language):
    assert negotiate(header) == language


async def test_the_assistant_editor_choices_follow_the_language(api, token_for):
    token = token_for("sophie.girard@chru-exemple.fr")
    french = (await api.get("/api/assistants/options", headers=_bearer(token))).json()
    english = (await api.get("/api/assistants/options", headers=_bearer(token, "en"))).json()

    assert [option["label"] for option in french["data_classes"]] == [
        "Données publiques",
        "Données internes",
        "Données personnelles",
        "Données de santé",
    ]
    assert [option["label"] for option in english["data_classes"]] == [
        "Public data",
        "Internal data",
        "Personal data",
        "Health data",
    ]
    assert [option["id"] for option in english["workflows"]] == [
        option["id"] for option in french["workflows"]
    ]
    assert english["workflows"][0]["label"] == "Meeting summary"
