"""Secrets never reach the audit store: tokens and keys are masked in every recorded string."""

from __future__ import annotations

import json

import pytest

from server.audit.chain import canonical
from server.audit.recorder import MASK, Redactor

pytestmark = pytest.mark.anyio

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGFpcmUifQ.c2lnbmF0dXJlLWRlLXRlc3Q"


def test_tokens_and_keys_are_masked_wherever_they_are_in_the_data() -> None:
    redact = Redactor.of([])
    recorded = {
        "headers": {"note": f"Authorization: Bearer {JWT}"},
        "cues": [{"text": "ma clé\nsk-abcdefghijklmnop0123 est là"}, {"text": "ariane_sk_0123456789abcdef"}],
        "count": 3,
        "ok": True,
    }

    assert redact(recorded) == {
        "headers": {"note": f"Authorization: {MASK}"},
        "cues": [{"text": f"ma clé\n{MASK} est là"}, {"text": MASK}],
        "count": 3,
        "ok": True,
    }


def test_look_alikes_inside_words_are_left_alone_and_clean_data_is_unchanged() -> None:
    redact = Redactor.of([])
    recorded = {"text": "le fichier risk-assessment-2026-v2 et mariane_sk_0123456789 restent", "n": [1, None]}

    assert redact(recorded) == recorded


def test_the_rendered_record_is_masked_like_the_data_and_clean_data_renders_as_it_is() -> None:
    redact = Redactor.of([])
    secret = {"rows": [{"text": "ligne\nBEARER " + JWT}, {"note": "clé SK-pas-une-clé"}], "n": 1.5}
    clean = {"cues": [{"text": "Merci Claire, merci Hélène.", "speaker": "Julien Perrin"}], "n": [1, None]}

    assert json.loads(redact.rendered(secret)) == redact(secret)
    assert MASK in redact.rendered(secret)
    assert redact.rendered(clean) == canonical(clean)


def test_the_operators_patterns_are_masked_too() -> None:
    redact = Redactor.of([r"\b[12]\d{12}\b"])  # a social security number without its key

    assert redact({"agent": "NIR 1850675123456, poste 4521"}) == {"agent": f"NIR {MASK}, poste 4521"}
    assert redact.text(f"Bearer {JWT}") == MASK
    assert json.loads(redact.rendered({"agent": "NIR 1850675123456"})) == {"agent": f"NIR {MASK}"}


async def test_a_token_pasted_in_a_message_is_not_stored(ask, store) -> None:  # type: ignore[no-untyped-def]
    run = await ask("claire.dubois", f"Voici mon jeton {JWT}, résume l'assemblée générale DTNIB")

    rows = store.execute("SELECT body FROM audit_records WHERE run_id = %s", (run["id"],))
    bodies = [row[0] for row in rows]
    assert bodies
    assert not [body for body in bodies if JWT in body]
    assert any(MASK in body for body in bodies)
