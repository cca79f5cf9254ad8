"""Health data never reaches a model not allowed it: the detectors, every field, the conversation.

The corpus (`health_corpus/`, fictional people) has a development split, on which the detectors
were tuned, and two held-out splits whose figures the README reports (`test`, and `heldout`, written
later from the issue's list of attacks and run once before any change it led to). The red-team pass's
evasions are replayed through `/v1` against the fake upstream, which must never receive them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from server.gateway.classification import Finding, classify
from server.gateway.detection.people import NameBook
from server.gateway.policy import DataClass
from tests.fakes.openai_upstream import FakeOpenAIUpstream
from tests.server.gateway.conftest import CLAIRE, INES, chat_body
from tools.tenant.directory import load_directory

pytestmark = pytest.mark.anyio

CORPUS = Path(__file__).with_name("health_corpus")
EU_MODEL, HDS_MODEL = "mistral-medium-eu", "mistral-small-hds"
DISEASE = "Jean Dupont a un cancer du poumon, stade 3."


def _samples(split: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load((CORPUS / f"{split}.yaml").read_text(encoding="utf-8")))


def _judged(split: str) -> tuple[list[Any], list[Any], int, int]:
    book = NameBook.of(user.display_name for user in load_directory().users)
    leaks, false_positives = [], []
    samples = _samples(split)
    for sample in samples:
        texts = sample.get("messages") or [sample["text"]]
        health = classify(texts, DataClass.INTERNAL, names=book).data_class is DataClass.HEALTH
        if sample["health"] and not health:
            leaks.append(texts)
        if health and not sample["health"]:
            false_positives.append(texts)
    positives = sum(bool(sample["health"]) for sample in samples)
    return leaks, false_positives, positives, len(samples) - positives


def test_the_corpus_has_over_300_labelled_samples_with_both_labels_in_each_split() -> None:
    dev, test = _samples("dev"), _samples("test")
    assert len(dev) + len(test) >= 300
    for split in (dev, test):
        assert {bool(sample["health"]) for sample in split} == {True, False}


@pytest.mark.parametrize("split", ["dev", "test", "heldout"])
def test_no_health_sample_of_the_corpus_leaks_and_few_ordinary_ones_are_flagged(split: str) -> None:
    leaks, false_positives, _, negatives = _judged(split)
    assert leaks == []
    assert len(false_positives) / negatives <= 0.05, false_positives


@pytest.mark.parametrize(
    "text",
    [
        "Mon NIR commence par 1 84 05 69 et se termine par 123 456 90.",
        "Numéro de sécu : 1 84 05 69, la suite c'est 123, puis 456 90",
        "C'est le 1 84 05 69 puis 123 456 90 pour la carte.",
    ],
)
def test_a_nir_cut_by_words_within_one_message_is_read(text: str) -> None:
    assert Finding.NIR in classify([text], DataClass.INTERNAL).findings


def test_numbers_cut_by_words_are_no_nir_without_a_valid_key() -> None:
    """Invoices, extensions and counts next to each other: the key rules them out."""
    text = (
        "Facture 2026-004512 du 12/03/2026 ; standard 04 72 11 22 33 poste 4512 ; la sécu rembourse "
        "70 % soit 564 € sur 1599 € ; 1 84 05 69 et 123 456 78 ; 47 séjours et 44887 passages."
    )
    assert Finding.NIR not in classify([text], DataClass.INTERNAL).findings


def _transcript(lines: list[str], cues: int = 40) -> str:
    """A meeting's transcript the way the meeting agent sends it: `[cue] start Speaker: text`."""
    filler = [
        f"[c{index}] 00:{index:02d}:00 Hélène Marchal: Le point suivant porte sur le budget du pôle."
        for index in range(cues)
    ]
    return "\n".join([*filler[: cues // 2], *lines, *filler[cues // 2 :]])


@pytest.mark.parametrize(
    "text",
    [
        "[00:01] Jean Dupont: cancer du poumon, stade 3",
        "<v Jean Dupont>cancer du poumon, stade 3",
        "[c1] 00:00:01 Jean Dupont: cancer du poumon\n[c2] 00:00:05 Paul Henry: d'accord\n"
        "[c3] 00:00:09 Anne Lambert: merci",
        _transcript(["[c99] 00:41:00 Jean Dupont, cancer du poumon stade 3: je reprends lundi."]),
        _transcript(["[c99] 00:41:00 Patient Jean Dupont: chimiothérapie en cours, stade 3."]),
        _transcript(["<v Jean Dupont (IPP 45871236)>Je reprends lundi."]),
        _transcript(["<v M. Dupont, diabète>Bonjour à tous."]),
    ],
)
def test_a_speakers_label_hides_no_one(text: str) -> None:
    """A label is dropped only in a transcript, and only when it is a plain name."""
    assert classify([text], DataClass.INTERNAL).data_class is DataClass.HEALTH


def test_a_transcripts_speakers_are_not_the_subject_of_what_they_say() -> None:
    """In the meeting agent's format, names before every cue and health words in the talk."""
    talk = [
        f"[c9{index}] 00:4{index}:00 {speaker}: Le dépistage du cancer du sein reprend en octobre."
        for index, speaker in enumerate(["Thomas Roux", "Sophie Girard", "Julien Perrin"])
    ]
    text = _transcript(talk)
    assert len(text) > 1500
    assert classify([text], DataClass.INTERNAL).data_class is DataClass.INTERNAL


@pytest.mark.parametrize(
    "content",
    ["Mon NIR commence par 1 84 05 69 et se termine par 123 456 90.", "[note] Jean Dupont: cancer du poumon"],
)
async def test_these_evasions_never_reach_a_non_hds_upstream(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream, content: str
) -> None:
    response = await gateway.post(
        "/v1/chat/completions", json=chat_body(EU_MODEL, content), headers=auth(CLAIRE)
    )
    assert (response.status_code, response.json()["error"]["code"]) == (403, "data_class_not_allowed")
    assert upstream.requests == []


def test_findings_are_kinds_only_never_the_text() -> None:
    found = classify(["M. Dupont, NIR 1 85 05 78 006 084 91, a un diabète."], DataClass.INTERNAL)
    assert found.data_class is DataClass.HEALTH
    assert set(found.findings) >= {Finding.NIR, Finding.PERSON, Finding.HEALTH_ABOUT_PERSON}
    assert "Dupont" not in found.explain()


def _function_tool(description: str, enum: list[str] | None = None) -> dict[str, Any]:
    parameters: dict[str, Any] = {"type": "object", "properties": {"nom": {"type": "string"}}}
    if enum:
        parameters["properties"]["nom"]["enum"] = enum
    return {
        "type": "function",
        "function": {"name": "noter", "description": description, "parameters": parameters},
    }


# Every field the red-team pass found forwarded verbatim and never classified, each carrying health data.
FIELDS: dict[str, dict[str, Any]] = {
    "tool_description": {"tools": [_function_tool(DISEASE)]},
    "tool_enum": {"tools": [_function_tool("Choisir un nom.", enum=["Jean Dupont", "cancer du poumon"])]},
    "tool_parameter_name": {
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "noter",
                    "parameters": {"type": "object", "properties": {"jean_dupont_cancer_du_poumon": {}}},
                },
            }
        ]
    },
    "response_format": {
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "r", "description": DISEASE, "schema": {"type": "object"}},
        }
    },
    "metadata": {"metadata": {"note": DISEASE}},
    "metadata_key": {"metadata": {DISEASE: "1"}},
    "user": {"user": DISEASE},
    "stop": {"stop": ["Jean Dupont", "a un cancer du poumon"]},
    "prediction": {"prediction": {"type": "content", "content": DISEASE}},
    "unknown_field": {"x_notes": {"deep": [{"text": DISEASE}]}},
}


@pytest.mark.parametrize("field", list(FIELDS))
async def test_health_data_in_any_field_is_refused_to_a_non_hds_model(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream, field: str
) -> None:
    body = chat_body(EU_MODEL, "Bonjour", **FIELDS[field])
    response = await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert (response.status_code, response.json()["error"]["code"]) == (403, "data_class_not_allowed")
    assert upstream.requests == []


async def test_the_name_of_a_message_and_its_content_are_read_together(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    body = {
        "model": EU_MODEL,
        "messages": [{"role": "user", "name": "jean_dupont", "content": "J'ai un cancer."}],
    }
    response = await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert response.status_code == 403
    assert upstream.requests == []


@pytest.mark.parametrize(
    "messages",
    [
        # A NIR cut in two messages.
        ["Le numéro commence par 1 85 05 78 006", "et se termine par 084 91"],
        # A person named in one message, what is said of them in a later one.
        ["Je te parle de Nadia Benali.", "Rien d'urgent.", "Elle a une épilepsie et a fait une crise hier."],
    ],
)
async def test_a_conversations_earlier_messages_count(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream, messages: list[str]
) -> None:
    roles = ["user", "assistant"]
    body = {
        "model": EU_MODEL,
        "messages": [{"role": roles[i % 2], "content": text} for i, text in enumerate(messages)],
    }
    response = await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert (response.status_code, response.json()["error"]["code"]) == (403, "data_class_not_allowed")
    assert upstream.requests == []


@pytest.mark.parametrize(
    "part",
    [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
        {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
        {"type": "file", "file": {"file_data": "JVBERi0=", "filename": "ordonnance.pdf"}},
        {"type": "hologram", "payload": "?"},
        {"text": "une partie sans type"},
    ],
)
async def test_content_no_detector_can_read_goes_to_a_health_data_host_only(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream, part: dict[str, Any]
) -> None:
    body = {
        "model": EU_MODEL,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Décris"}, part]}],
    }
    refused = await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "data_class_not_allowed")
    assert upstream.requests == []

    allowed = await gateway.post(
        "/v1/chat/completions", json={**body, "model": HDS_MODEL}, headers=auth(INES)
    )
    assert allowed.status_code == 200


async def test_ordinary_requests_with_every_field_still_pass(
    gateway: httpx.AsyncClient, auth: Any, upstream: FakeOpenAIUpstream
) -> None:
    body = chat_body(
        EU_MODEL,
        "Le service de cardiologie recrute deux infirmières : rédige l'annonce.",
        tools=[_function_tool("Publier une annonce de recrutement.", enum=["interne", "externe"])],
        metadata={"note": "recrutement"},
        user="claire.dubois",
        stop=["FIN"],
        response_format={"type": "json_object"},
    )
    response = await gateway.post("/v1/chat/completions", json=body, headers=auth(CLAIRE))
    assert response.status_code == 200
    assert len(upstream.requests) == 1


async def test_embeddings_inputs_are_classified_too(gateway: httpx.AsyncClient, auth: Any) -> None:
    response = await gateway.post(
        "/v1/embeddings",
        json={"model": "all-minilm-l6-v2", "input": [DISEASE]},
        headers=auth(CLAIRE),
    )
    assert response.status_code == 200  # the local model may receive health data
    assert response.json()["data"]


def test_the_fictional_hospitals_meetings_and_documents_are_not_taken_for_health_data() -> None:
    """Speakers' names, first names, cue ids and times beside the hospital's words are no patient."""
    book = NameBook.of(user.display_name for user in load_directory().users)
    data = Path(__file__).parents[3] / "tools" / "tenant" / "data"
    texts = sorted((data / "transcripts").glob("*.vtt")) + sorted((data / "sources").glob("*.md"))
    assert len(texts) >= 10
    flagged = {
        path.name: classify([path.read_text(encoding="utf-8")], DataClass.INTERNAL, names=book).findings
        for path in texts
    }
    assert {
        name: findings
        for name, findings in flagged.items()
        if Finding.HEALTH_ABOUT_PERSON in findings or Finding.NIR in findings
    } == {}
