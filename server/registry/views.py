"""Rows of the registry as the API shows them: secrets never, diffs of changed definitions always."""

from __future__ import annotations

from typing import Any

from server.messages import MESSAGES
from server.registry.pins import diff
from server.registry.schemas import Finding, KeptFinding, ServerOut, ToolOut, ToolReview, Transport
from tools.i18n import DEFAULT_LANGUAGE, Language, Text


def tool_out(row: Any, language: Language = DEFAULT_LANGUAGE) -> ToolOut:
    """A tool row with its diff against the approved definition, its findings told in `language`."""
    definition = row["definition"]
    approved = row["approved_definition"]
    return ToolOut(
        name=row["name"],
        description=definition.get("description") or "",
        status=row["status"],
        status_reason=row["status_reason"],
        digest=row["digest"],
        approved_digest=row["approved_digest"],
        changed=approved is not None and row["approved_digest"] != row["digest"],
        diff=diff(approved, definition),
        input_schema=definition.get("input_schema") or {},
        output_schema=definition.get("output_schema"),
        annotations=definition.get("annotations") or {},
        review=ToolReview.model_validate(row["review"]) if row["review"] else None,
        findings=[finding_out(item, language) for item in row["findings"]],
        roles=list(row["roles"]),
        services=list(row["services"]),
        assistants=list(row["assistants"]),
        confirmation=row["confirmation"],
        timeout_seconds=row["timeout_seconds"],
        rate_per_minute=row["rate_per_minute"],
        max_result_bytes=row["max_result_bytes"],
    )


def server_out(
    row: Any, tools: list[Any], isolation: str | Text = "", language: Language = DEFAULT_LANGUAGE
) -> ServerOut:
    """A server row and its tool rows, without its secrets; `isolation` says how stdio servers run.

    The isolation, the health's detail and the tools' findings are told in `language` (the reader's).
    """
    shown = isolation if row["transport"] == Transport.STDIO else _ISOLATION[row["transport"]]
    transport = row["transport"]
    return ServerOut(
        name=row["name"],
        transport=transport,
        url=row["url"],
        package=row["package"],
        package_version=row["package_version"],
        command=row["command"],
        args=list(row["args"] or []),
        env_keys=list(row["env_keys"] or []),
        network=row["network"],
        hosting=row["hosting"],
        data_class=row["data_class"],
        isolation=shown.render(language) if isinstance(shown, Text) else shown,
        auth=(row["auth"] or {}).get("kind", "none"),
        status=row["status"],
        inspected_at=row["inspected_at"],
        inspected_by=row["inspected_by"],
        protocol_version=row["protocol_version"],
        server_info=row["server_info"] or {},
        health=row["health"],
        health_detail=MESSAGES.shown(row["health_detail"], row.get("health_detail_text"), language),
        checked_at=row["checked_at"],
        registered_by=row["registered_by"],
        approved_by=row["approved_by"],
        approved_at=row["approved_at"],
        created_at=row["created_at"],
        tools=[tool_out(tool, language) for tool in tools],
    )


def finding_out(item: Any, language: Language) -> Finding:
    """A kept finding (a row's JSON or a `KeptFinding`) as the API shows it: its detail in `language`.

    A finding stored before its text was kept (or one this release does not know) shows its sentence.
    """
    finding = item if isinstance(item, KeptFinding) else KeptFinding.model_validate(item)
    shown = MESSAGES.shown(finding.detail, finding.text, language)
    return Finding.model_validate(finding.model_dump(exclude={"text"}) | {"detail": shown})


_ISOLATION = {
    Transport.BUILTIN: MESSAGES("registry.isolation_builtin"),
    Transport.HTTP: MESSAGES("registry.isolation_http"),
}
