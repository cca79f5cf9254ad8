"""Exports of a run: a JSON evidence bundle that a third party can check, and OTLP JSON for trace tools."""

from __future__ import annotations

import time
from typing import Any

from server.audit.anchors import Anchor, AnchorBook, public_pem
from server.audit.chain import GENESIS
from server.audit.verify import Report

_KINDS = {"internal": 1, "server": 2, "client": 3, "producer": 4, "consumer": 5}
_STATUS = {"unset": 0, "ok": 1, "error": 2}


def evidence_bundle(
    run_id: str,
    trace_id: str,
    rows: list[dict[str, Any]],
    report: Report,
    book: AnchorBook,
    anchors: list[Anchor],
    exported_by: str,
) -> dict[str, Any]:
    """The run's records with their hashes, its verification, the store's anchors and their public key.

    Each record carries its digest, both links and the previous link: enough to recompute the hashes
    elsewhere.
    """
    public_key = book.public_key()
    return {
        "format": "ariane-audit-bundle/1",
        "run_id": run_id,
        "trace_id": trace_id,
        "exported_at": time.time(),
        "exported_by": exported_by,
        "hashing": "digest = sha256 of seq, kind, trace_id, trace_seq, recorded_ns, run_id, name, body, "
        "each as '<byte length>:<UTF-8 bytes>' ('-:' when null), concatenated; "
        "chain = sha256(previous chain || digest); trace_chain = sha256(previous trace_chain || digest); "
        "both chains start from 32 zero bytes",
        "records": [
            {
                "seq": row["seq"],
                "kind": row["kind"],
                "trace_id": row["trace_id"],
                "trace_seq": row["trace_seq"],
                "recorded_ns": row["recorded_ns"],
                "run_id": row["run_id"],
                "name": row["name"],
                "body": row["body"],
                "digest": bytes(row["digest"]).hex(),
                "chain": bytes(row["chain"]).hex(),
                "trace_chain": bytes(row["trace_chain"]).hex(),
                "previous_chain": bytes(row["previous_chain"]).hex()
                if row.get("previous_chain")
                else GENESIS.hex(),
            }
            for row in rows
        ],
        "verification": report.as_dict(),
        "anchors": [anchor.__dict__ for anchor in anchors],
        "anchor_public_key": public_pem(public_key).decode() if public_key is not None else None,
    }


def _value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, list | tuple):
        return {"arrayValue": {"values": [_value(item) for item in value]}}
    return {"stringValue": str(value)}


def _attributes(attributes: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": key, "value": _value(value)} for key, value in sorted(attributes.items())]


def otlp_json(spans: list[dict[str, Any]]) -> dict[str, Any]:
    """The spans as an OTLP/JSON `ExportTraceServiceRequest`, loadable by Jaeger, Tempo or any OTLP tool.

    One resource per service, one scope per instrumentation scope.
    """
    services: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for span in spans:
        scopes = services.setdefault(span.get("service") or "ariane", {})
        scopes.setdefault(span.get("scope") or "", []).append(
            {
                "traceId": span["trace_id"],
                "spanId": span["span_id"],
                "parentSpanId": span["parent_span_id"] or "",
                "name": span["name"],
                "kind": _KINDS.get(span["kind"], 0),
                "startTimeUnixNano": str(span["start_ns"]),
                "endTimeUnixNano": str(span["end_ns"]),
                "attributes": _attributes(span["attributes"]),
                "events": [
                    {
                        "timeUnixNano": str(event["time_ns"]),
                        "name": event["name"],
                        "attributes": _attributes(event["attributes"]),
                    }
                    for event in span["events"]
                ],
                "links": [{"traceId": link["trace_id"], "spanId": link["span_id"]} for link in span["links"]],
                "status": {
                    "code": _STATUS.get(span["status"]["code"], 0),
                    "message": span["status"]["description"] or "",
                },
            }
        )
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": _attributes({"service.name": service})},
                "scopeSpans": [{"scope": {"name": scope}, "spans": items} for scope, items in scopes.items()],
            }
            for service, scopes in services.items()
        ]
    }
