"""The mail server through a real MCP client session in memory, over msgraph-sdk and the local tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from mcp import Client
from mcp.types import CallToolResult, TextContent

from tests.tools.conftest import Meta
from tools.m365 import GraphAccess
from tools.mail.server import build_server
from tools.mcp_common import ERROR_META, CallerSource

pytestmark = pytest.mark.anyio
ALERTS = "alertes-securite@chru-exemple.fr"


@pytest.fixture
async def mail(graph: GraphAccess) -> AsyncIterator[Client]:
    async with Client(build_server(graph, CallerSource())) as client:
        yield client


async def test_reading_tools_are_read_only_and_sending_is_destructive(mail: Client) -> None:
    tools = {tool.name: tool for tool in (await mail.list_tools()).tools}

    assert sorted(tools) == ["get_message", "list_messages", "search_messages", "send_mail"]
    hints = {
        name: (hint.read_only_hint, hint.destructive_hint, hint.open_world_hint)
        for name, tool in tools.items()
        if (hint := tool.annotations)
    }
    assert hints == {
        "get_message": (True, False, False), "list_messages": (True, False, False),
        "search_messages": (True, False, False), "send_mail": (False, True, True),
    }  # fmt: skip
    assert all(tool.output_schema for tool in tools.values())


async def test_a_user_lists_and_reads_their_messages(mail: Client, meta_for: Meta) -> None:
    listed = await mail.call_tool("list_messages", {}, meta=meta_for("nadia.benali"))
    messages = listed.structured_content["messages"]  # type: ignore[index]
    read = await mail.call_tool("get_message", {"id": messages[0]["id"]}, meta=meta_for("nadia.benali"))

    assert [(m["subject"], m["sender"], m["is_read"]) for m in messages] == [
        ("Astreintes de décembre : éléments de paie", "Karim Haddad", False)
    ]
    detail = read.structured_content
    assert detail is not None
    assert (detail["to"], detail["received"]) == (
        ["nadia.benali@chru-exemple.fr"],
        "2026-11-26T15:02:00+01:00",
    )
    assert "tableau des astreintes de décembre" in detail["body"]


async def test_a_shared_mailbox_is_searched_by_its_readers_only(mail: Client, meta_for: Meta) -> None:
    found = await mail.call_tool(
        "search_messages", {"query": "karim compromis", "mailbox": ALERTS}, meta=meta_for("paul.henry")
    )
    refused = await mail.call_tool("list_messages", {"mailbox": ALERTS}, meta=meta_for("claire.dubois"))

    assert [m["subject"] for m in found.structured_content["messages"]] == [  # type: ignore[index]
        "RE: [Vigie Santé] Compte compromis : karim.haddad@chru-exemple.fr",
        "[Vigie Santé] Compte compromis : karim.haddad@chru-exemple.fr",
    ]
    assert refused.is_error
    assert refused.meta is not None
    assert refused.meta[ERROR_META] == "access_denied"


async def test_another_users_message_is_reported_missing(mail: Client, meta_for: Meta) -> None:
    result = await mail.call_tool(
        "get_message", {"id": "msg-nadia-2026-11-26-astreintes"}, meta=meta_for("karim.haddad")
    )

    assert result.is_error
    assert result.meta is not None
    assert result.meta[ERROR_META] == "not_found"


async def test_a_message_is_sent_as_the_user(mail: Client, meta_for: Meta, tenant_app: FastAPI) -> None:
    arguments = {"to": ["karim.haddad@chru-exemple.fr"], "subject": "Astreintes", "body": "Tableau joint."}
    sent = await mail.call_tool("send_mail", arguments, meta=meta_for("nadia.benali"))
    wrong = await mail.call_tool("send_mail", arguments | {"to": ["karim"]}, meta=meta_for("nadia.benali"))

    assert sent.structured_content == {
        "status": "envoyé", "to": ["karim.haddad@chru-exemple.fr"], "cc": [], "subject": "Astreintes",
    }  # fmt: skip
    store = tenant_app.state.mail
    karim = store.mailbox("karim.haddad@chru-exemple.fr")
    assert [(m.subject, m.sender.address) for m in store.in_mailbox(karim.id, "inbox")] == [
        ("Astreintes", "nadia.benali@chru-exemple.fr")
    ]
    assert wrong.is_error
    assert wrong.meta is not None
    assert wrong.meta[ERROR_META] == "bad_request"


async def test_a_refusal_is_in_english_when_the_run_is_and_in_french_otherwise(
    mail: Client, meta_for: Meta
) -> None:
    arguments = {"to": ["karim"], "subject": "Astreintes", "body": "Tableau joint."}
    refusals = [
        await mail.call_tool("send_mail", arguments, meta=meta_for("nadia.benali", language=language))
        for language in (None, "en")
    ]

    assert [(result.meta or {}).get(ERROR_META) for result in refusals] == ["bad_request"] * 2
    assert [_text(result) for result in refusals] == [
        "Adresse invalide dans « to » : karim.",
        "Invalid address in « to »: karim.",
    ]


async def test_a_mailbox_refused_by_microsoft_365_is_named_in_the_language_of_the_run(
    mail: Client, meta_for: Meta
) -> None:
    refused = await mail.call_tool(
        "list_messages", {"mailbox": ALERTS}, meta=meta_for("claire.dubois", language="en")
    )

    assert (refused.meta or {}).get(ERROR_META) == "access_denied"
    assert _text(refused) == f"Access denied: you do not have the rights to see mailbox « {ALERTS} »."


def _text(result: CallToolResult) -> str:
    [content] = result.content
    assert isinstance(content, TextContent)
    return content.text
