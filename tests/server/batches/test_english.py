"""The batch pages' refusals and reasons in the caller's language: French by default, English when asked."""

from __future__ import annotations

import httpx
import pytest

from tests.server.batches.conftest import BODY, CLAIRE, HEADER, INES, finished, patients, table_csv, upload

pytestmark = pytest.mark.anyio
EN = {"Accept-Language": "en"}


async def test_a_bad_table_is_refused_in_french_by_default_and_in_english_when_asked(client, auth):
    claire = auth(CLAIRE)
    duplicated = table_csv(patients(1), header=["Nom", "nom", "Âge", "Pathologie", "Date", "Consigne"])

    french = await upload(client, claire, duplicated)
    english = await upload(client, claire | EN, duplicated)
    empty = await upload(client, claire | EN, b"", name="vide.xls")

    assert (french.status_code, french.json()) == (
        422,
        {"error": "duplicate_column", "detail": "Les colonnes « Nom » et « nom » portent le même nom."},
    )
    assert english.json() == {
        "error": "duplicate_column",
        "detail": "Columns « Nom » and « nom » have the same name.",
    }
    assert empty.json() == {"error": "empty_table", "detail": "The file is empty."}


async def test_a_template_naming_a_missing_column_is_explained_in_english(client, auth):
    claire = auth(CLAIRE)
    batch = (await upload(client, claire, table_csv(patients(1)))).json()
    url = f"/api/batches/{batch['id']}"

    french = await client.patch(url, headers=claire, json={"body": "Bonjour {{ nomm }}"})
    english = await client.patch(url, headers=claire | EN, json={"body": "Bonjour {{ nomm }}"})

    columns = "civilite, nom, age, pathologie, date_du_rendez_vous, consigne"
    assert french.json()["detail"] == (
        "Le modèle de courrier utilise la colonne « nomm », absente du tableau. Colonnes proches : nom. "
        f"Colonnes disponibles : {columns}."
    )
    assert english.json()["detail"] == (
        "The letter template uses the column « nomm », which is not in the table. Close columns: nom. "
        f"Available columns: {columns}."
    )


async def test_why_no_model_is_offered_follows_the_language(client, auth):
    claire = auth(CLAIRE)
    batch = (await upload(client, claire, table_csv(patients(2)), data_class="health")).json()
    url = f"/api/batches/{batch['id']}/models"

    french = (await client.get(url, headers=claire)).json()["reason"]
    english = (await client.get(url, headers=claire | EN)).json()["reason"]

    assert french.startswith("Ce tableau contient des données de santé : aucun des modèles autorisés")
    assert english.startswith("This table contains health data: none of the models allowed for your profile")
    assert english.endswith("The mail merge without a model remains possible.")
    missing = await client.get("/api/batches/not-a-batch", headers=claire | EN)
    assert missing.json() == {"error": "batch_not_found", "detail": "Batch not found."}


async def test_the_gateways_refusal_of_a_model_is_quoted_in_the_callers_language(client, auth):
    ines = auth(INES)
    batch = (await upload(client, ines, table_csv(patients(1)), data_class="health")).json()
    url = f"/api/batches/{batch['id']}"

    french = await client.patch(url, headers=ines, json={"model": "mistral-medium-eu"})
    english = await client.patch(url, headers=ines | EN, json={"model": "mistral-medium-eu"})

    assert (french.status_code, french.json()) == (
        400,
        {
            "error": "data_class_not_allowed",
            "detail": "Cette requête contient des données de santé : elles ne peuvent être envoyées qu'à un"
            " hébergeur certifié HDS ou aux serveurs de l'établissement. Le modèle « mistral-medium-eu » est"
            " hébergé sur : cloud européen. Modèles autorisés pour ces données : mistral-small-hds.",
        },
    )
    assert english.json() == {
        "error": "data_class_not_allowed",
        "detail": "This request contains health data: it may only be sent to a certified HDS host or to the"
        " hospital's servers. Model « mistral-medium-eu » is hosted on: European cloud. Models allowed for"
        " this data: mistral-small-hds.",
    }


def _valid_nir() -> str:
    number = 1841275123456
    return f"1 84 12 75 123 456 {97 - number % 97:02d}"


async def _run_one_row(app, client, headers, rows, header, data_class, changes):  # type: ignore[no-untyped-def]
    """Create a batch with `headers` (its creator's language), launch it, and its rows once run."""
    batch = (await upload(client, headers, table_csv(rows, header), data_class=data_class)).json()
    url = f"/api/batches/{batch['id']}"
    patched = await client.patch(url, headers=headers, json=changes)
    assert patched.status_code == 200, patched.text
    await client.post(f"{url}/launch", headers=headers)
    await finished(app, client, headers, batch["id"])
    return (await client.get(f"{url}/rows", headers=headers)).json()


async def test_a_refused_row_is_explained_in_the_language_of_the_batchs_creator(app, client, auth):
    claire = auth(CLAIRE)
    rows = [["Agent", f"Numéro de sécurité sociale {_valid_nir()}"]]
    changes = {"body": "Objet : {{objet}} ({{nom}})", "model": "mistral-medium-eu", "review_required": False}

    english = await _run_one_row(app, client, claire | EN, rows, ["Nom", "Objet"], "internal", changes)
    french = await _run_one_row(app, client, claire, rows, ["Nom", "Objet"], "internal", changes)

    assert [r["status"] for r in english + french] == ["refused", "refused"]
    assert english[0]["error_code"] == french[0]["error_code"] == "data_class_not_allowed"
    assert english[0]["error"].startswith("This request contains health data (detected: social security")
    assert french[0]["error"].startswith("Cette requête contient des données de santé (détecté : numéro de")


async def test_a_row_failing_at_the_gateway_is_reported_in_the_language_of_the_batchs_creator(
    app, client, auth, letters
):
    ines = auth(INES)
    changes = {"body": BODY, "model": "mistral-small-hds"}
    letters.failures = 3 * 2  # the gateway tries twice per call (one retry); the row three times
    english = await _run_one_row(app, client, ines | EN, patients(1), HEADER, "health", changes)
    letters.failures = 3 * 2
    french = await _run_one_row(app, client, ines, patients(1), HEADER, "health", changes)

    assert [r["status"] for r in english + french] == ["failed", "failed"]
    assert english[0]["error"] == (  # the gateway's words (asked in English) and the sender's
        "The provider of model « mistral-small-hds » failed (HTTP 503). Try again in a moment. — 3 attempts"
    )
    assert french[0]["error"] == (
        "Le fournisseur du modèle « mistral-small-hds » a échoué (HTTP 503). Réessayez dans un instant."
        " — 3 tentatives"
    )


class _SessionGone(httpx.AsyncBaseTransport):
    """The gateway no longer accepting the owner's token (401), as once their session has expired."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        error = {"message": "Jeton expiré", "type": "authentication_error", "code": "invalid_api_key"}
        return httpx.Response(401, json={"error": error}, request=request)


async def test_why_a_batch_paused_is_told_in_the_language_of_its_creator(app, client, auth):
    ines = auth(INES)
    app.state.batch_runs.runner._inner = _SessionGone()
    states = []
    for headers in (ines | EN, ines):
        batch = (await upload(client, headers, table_csv(patients(1)), data_class="health")).json()
        url = f"/api/batches/{batch['id']}"
        await client.patch(url, headers=headers, json={"body": BODY, "model": "mistral-small-hds"})
        await client.post(f"{url}/launch", headers=headers)
        states.append(await finished(app, client, headers, batch["id"]))

    assert [(s["status"], s["error"]) for s in states] == [
        ("paused", "Your session has expired: resume the batch to finish it."),
        ("paused", "Votre session a expiré : reprenez le traitement pour l'achever."),
    ]


async def test_a_batch_replay_report_is_told_in_the_auditors_language_with_the_same_statuses(
    app, client, auth
):
    from server.batches.replay import render_batch_replay
    from tests.server.batches.test_review_and_exports import ANNE, _completed

    claire = auth(CLAIRE)
    rows = [["Madame", "AGENT1", "40", "réunion", "07/12/2026", "Apporter le badge."]]
    batch_id = await _completed(
        app,
        client,
        claire,
        rows,
        model="mistral-small-hds",
        data_class="internal",
        body="Réunion. {{consigne}}",
    )
    url = f"/api/audit/runs/{batch_id}/replay"
    what_if = {"model": "mistral-medium-eu"}

    french = (await client.post(url, headers=claire, json=what_if)).json()
    english = (await client.post(url, headers=claire | EN, json=what_if)).json()
    exact = (await client.post(url, headers=auth(ANNE) | EN, json={})).json()

    assert (french["status"], english["status"], [r["status"] for r in english["rows"]]) == (
        "différente",
        "différente",
        ["différente"],
    )
    assert (french["rows"][0]["diff"][0], english["rows"][0]["diff"][0]) == (
        "--- enregistrée",
        "--- recorded",
    )
    assert render_batch_replay(french).splitlines()[:2] == [
        "Rejeu avec le modèle mistral-medium-eu : 1 ligne(s) différente(s) sur 1",
        "— ligne 1 : différente",
    ]
    assert render_batch_replay(english, "en").splitlines()[:2] == [
        "Replay with model mistral-medium-eu: 1 row(s) different out of 1",
        "— row 1: différente",
    ]
    assert exact["status"] == "identique"
    assert render_batch_replay(exact) == "identique — 1 ligne(s) reproduite(s) depuis l'enregistrement."
    assert render_batch_replay(exact, "en") == "identical — 1 row(s) reproduced from the record."
