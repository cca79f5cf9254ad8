"""Replay of a batch from its audit records: every row's output reproduced, or a what-if per row.

Exact replay rebuilds each row's request with the current code from the recorded template and the
row's recorded values, checks it equals the request recorded as sent, and takes the row's output from
the recorded answer: it must equal the output recorded when the row ended. Mail-merge rows are
merged again; rows refused before sending are classified again (same findings, same class). The
first difference is reported (row, what, expected, got); else « identique ».

What-if sends each answered row's rebuilt request, with another model, live through the gateway as
the caller (their rights apply: a model they may not use is refused), and shows the diff per row.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from server.audit.replay import IDENTICAL, ReplayImpossibleError
from server.batches.prompting import LetterTemplate, answer_text, chat_request
from server.batches.sending import DATA_CLASS_HEADER
from server.gateway.classification import classify
from server.gateway.policy import DataClass
from server.messages import MESSAGES
from tools.i18n import DEFAULT_LANGUAGE, Language, Text, joined

_WHAT_IF_CONCURRENCY = 4


@dataclass
class RecordedBatch:
    """A batch's records, parsed."""

    run_id: str
    start: dict[str, Any]
    calls: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    ends: dict[int, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, run_id: str, rows: list[dict[str, Any]]) -> RecordedBatch:
        """Parse the records of the batch's trace (spans skipped)."""
        batch: RecordedBatch | None = None
        for row in rows:
            kind = row["kind"]
            if kind not in {"run_start", "model_call", "batch_row"}:
                continue
            body = json.loads(row["body"])
            if kind == "run_start":
                batch = cls(run_id, body)
            elif batch is None:
                continue
            elif kind == "model_call":
                batch.calls.setdefault(int(body["row"]), []).append(body)
            else:
                batch.ends[int(body["row"])] = body  # the last end of a row counts
        if batch is None:
            raise ReplayImpossibleError(MESSAGES("batches.start_not_found"))
        return batch

    def missing(self) -> list[Text]:
        """What replay needs and the record does not hold."""
        missing = []
        if not self.start.get("captured") or "body" not in self.start.get("batch", {}):
            missing.append(MESSAGES("audit.missing.letter"))
        if any(not end.get("captured") for end in self.ends.values()):
            missing.append(MESSAGES("audit.missing.rows"))
        return missing

    def template(self) -> LetterTemplate:
        """The batch's template, as recorded."""
        settings = self.start["batch"]
        keys = [column["key"] for column in settings["columns"]]
        return LetterTemplate.of(settings["instruction"], settings["body"], keys)


def _answered(calls: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((c for c in reversed(calls) if (c.get("response") or {}).get("status") == 200), None)


def _difference(number: int, kind: str, expected: Any, got: Any) -> dict[str, Any]:
    return {"step": number, "row": number, "kind": kind, "path": "", "expected": expected, "got": got}


def exact(batch: RecordedBatch, language: Language = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Every row reproduced from the record: « identique », or the first divergence (told in `language`)."""
    template, settings = batch.template(), batch.start["batch"]
    divergence = None
    for number in sorted(batch.ends):
        end, values = batch.ends[number], batch.ends[number].get("values") or {}
        if end["status"] == "done" and settings["mode"] == "merge":
            got = template.merge(values)
            divergence = (
                None if got == end.get("output") else _difference(number, "letter", end.get("output"), got)
            )
        elif end["status"] == "done":
            divergence = _row_answer(number, batch, template, settings, end, language)
        elif end["status"] == "refused" and not batch.calls.get(number):
            messages = template.messages(values)
            found = classify([m["content"] for m in messages], DataClass(settings["data_class"]))
            classified = {"data_class": found.data_class.value, "findings": [f.value for f in found.findings]}
            wanted = {"data_class": end.get("data_class"), "findings": end.get("findings")}
            same = classified == wanted
            divergence = None if same else _difference(number, "classification", wanted, classified)
        if divergence is not None:
            break
    return {
        "mode": "exact",
        "status": IDENTICAL if divergence is None else "divergence",
        "divergence": divergence,
        "rows": len(batch.ends),
    }


def _row_answer(
    number: int,
    batch: RecordedBatch,
    template: LetterTemplate,
    settings: dict[str, Any],
    end: dict[str, Any],
    language: Language,
) -> dict[str, Any] | None:
    call = _answered(batch.calls.get(number, []))
    if call is None:
        expected = MESSAGES.text("batches.replay.an_answer", language)
        return _difference(number, "answer", expected, MESSAGES.text("batches.replay.no_answer", language))
    values = end.get("values") or {}
    rebuilt = chat_request(
        template, values, settings["model"], settings["temperature"], settings["max_tokens"]
    )
    sent = json.loads(call["request"]["body"])
    if sent != rebuilt:
        return _difference(number, "request", sent, rebuilt)
    got = answer_text(json.loads(call["response"]["body"]))
    return None if got == end.get("output") else _difference(number, "output", end.get("output"), got)


async def what_if(
    batch: RecordedBatch,
    model: str,
    base_url: str,
    token: str,
    transport: httpx.AsyncBaseTransport | None,
    language: Language = DEFAULT_LANGUAGE,
) -> dict[str, Any]:
    """Each answered row sent again with `model`, live, as `token`; the diff per row, labelled in `language`.

    Its status values never change with `language`.
    """
    label = MESSAGES.text("audit.replay.recorded", language)
    template, settings = batch.template(), batch.start["batch"]
    numbers = [
        n for n in sorted(batch.ends) if batch.ends[n]["status"] == "done" and settings["mode"] == "model"
    ]
    gate = asyncio.Semaphore(_WHAT_IF_CONCURRENCY)
    async with httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(120.0)) as client:

        async def one(number: int) -> dict[str, Any]:
            end = batch.ends[number]
            body = chat_request(
                template, end.get("values") or {}, model, settings["temperature"], settings["max_tokens"]
            )
            async with gate:
                response = await client.post(
                    f"{base_url.rstrip('/')}/v1/chat/completions",
                    json=body,
                    headers={"Authorization": f"Bearer {token}", DATA_CLASS_HEADER: settings["data_class"]},
                )
            recorded = str(end.get("output") or "")
            if response.status_code != 200:
                error = (response.json().get("error") or {}) if response.content else {}
                return {
                    "row": number,
                    "status": "refusée",
                    "recorded": recorded,
                    "replayed": None,
                    "error": error.get("message") or f"HTTP {response.status_code}",
                    "diff": [],
                }
            replayed = answer_text(response.json())
            diff = list(
                difflib.unified_diff(recorded.splitlines(), replayed.splitlines(), label, model, lineterm="")
            )
            status = IDENTICAL if recorded == replayed else "différente"
            return {"row": number, "status": status, "recorded": recorded, "replayed": replayed, "diff": diff}

        started = time.perf_counter()
        results = await asyncio.gather(*(one(number) for number in numbers))
    changed = sum(1 for r in results if r["status"] != IDENTICAL)
    return {
        "mode": "what_if",
        "model": model,
        "status": IDENTICAL if not changed else "différente",
        "rows": results,
        "changed": changed,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }


async def replay_batch(
    run_id: str,
    records: list[dict[str, Any]],
    *,
    model: str | None,
    base_url: str,
    token: str,
    transport: httpx.AsyncBaseTransport | None,
    language: Language = DEFAULT_LANGUAGE,
) -> dict[str, Any]:
    """Exact replay (`model` None) or what-if of a recorded batch, its sentences in `language`.

    Raises:
        ReplayImpossibleError: content not captured.
    """
    batch = RecordedBatch.of(run_id, records)
    missing = batch.missing()
    if missing:
        raise ReplayImpossibleError(
            MESSAGES("batches.not_captured", missing=joined(missing)),
            code="content_not_captured",
        )
    report = {"run_id": run_id, "workflow": "batch_letters", "steps": sum(map(len, batch.calls.values()))}
    if model is None:
        return report | exact(batch, language)
    return report | await what_if(batch, model, base_url, token, transport, language)


def render_batch_replay(report: dict[str, Any], language: Language = DEFAULT_LANGUAGE) -> str:
    """A batch replay report for a person (`ariane audit replay`) in `language`; status values as they are."""
    if report["mode"] == "exact":
        if report["status"] == IDENTICAL:
            return MESSAGES.text("batches.replay.identical", language, rows=report["rows"])
        divergence = report["divergence"]
        return "\n".join(
            [
                MESSAGES.text(
                    "batches.replay.divergence", language, row=divergence["row"], kind=divergence["kind"]
                ),
                MESSAGES.text("batches.replay.expected", language, value=divergence["expected"]),
                MESSAGES.text("batches.replay.got", language, value=divergence["got"]),
            ]
        )
    lines = [
        MESSAGES.text(
            "batches.replay.what_if",
            language,
            model=report["model"],
            changed=report["changed"],
            rows=len(report["rows"]),
        )
    ]
    for row in report["rows"]:
        lines.append(
            MESSAGES.text("batches.replay.row", language, row=row["row"], status=row["status"])
            + (f" ({row['error']})" if row.get("error") else "")
        )
        lines += row["diff"]
    return "\n".join(lines)
