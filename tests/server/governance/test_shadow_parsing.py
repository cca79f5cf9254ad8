"""Reading proxy logs: Squid and CSV lines folded into counts, broken lines counted and skipped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from server.governance.shadow.catalogue import HostMatcher, host_of, parse_catalogue
from server.governance.shadow.parsing import LogFormat, LogFormatError, read_log, sniff

pytestmark = pytest.mark.anyio

CATALOGUE = parse_catalogue(
    """
services:
  - {id: chatgpt, name: ChatGPT, provider: OpenAI, kind: assistant_conversationnel, country: US,
     domains: [chatgpt.com, openai.com]}
  - {id: openai-api, name: API OpenAI, provider: OpenAI, kind: api, country: US, domains: [api.openai.com]}
  - {id: le-chat, name: Le Chat, provider: Mistral AI, kind: assistant_conversationnel, country: FR,
     domains: [chat.mistral.ai]}
"""
)
# 2026-11-03 09:00:00 Europe/Paris = 08:00:00 UTC
NINE = 1793696400.0


async def _chunks(text: str, size: int = 7) -> AsyncIterator[bytes]:
    data = text.encode()
    for start in range(0, len(data), size):  # small chunks: lines are cut across them
        yield data[start : start + size]


def _squid(offset: float, user: str, target: str, size: int = 1000, method: str = "CONNECT") -> str:
    peer = "HIER_DIRECT/1.2.3.4 -"
    return f"{NINE + offset:.3f}    120 10.0.0.7 TCP_TUNNEL/200 {size} {method} {target} {user} {peer}"


async def test_squid_lines_are_counted_per_day_service_and_user_and_a_broken_line_is_skipped() -> None:
    log = "\n".join(
        [
            _squid(0, "jdupont", "chatgpt.com:443", 100),
            _squid(60, "CHRU\\JDupont", "https://chatgpt.com/c/123?x=1", 50, "GET"),
            _squid(120, "jdupont", "api.openai.com:443", 7),
            _squid(180, "-", "chat.mistral.ai:443", 3),
            _squid(240, "mmartin", "www.legifrance.gouv.fr:443"),
            "1793696400.000 12 10.0.0.7 TCP_MISS/200",  # cut short
            _squid(300, "mmartin", "chatgpt.com:443").replace(" 1000 ", " mille "),  # garbled size
            "",
            _squid(86400, "mmartin", "chat.openai.com:443", 9),  # the next day
        ]
    )

    found, tally = await read_log(_chunks(log), HostMatcher(CATALOGUE))

    day = date(2026, 11, 3).toordinal()
    assert found is LogFormat.SQUID
    assert (tally.lines, tally.ai_lines, tally.malformed) == (8, 5, 2)
    assert tally.examples == [{"line": 6, "reason": "fields_missing"}, {"line": 7, "reason": "not_a_number"}]
    assert tally.counts == {
        (day, "chatgpt", "jdupont"): [2, 150],
        (day, "openai-api", "jdupont"): [1, 7],
        (day, "le-chat", "ip:10.0.0.7"): [1, 3],
        (day + 1, "chatgpt", "mmartin"): [1, 9],
    }
    assert tally.days() == (date(2026, 11, 3), date(2026, 11, 4))


async def test_a_csv_export_with_french_headers_and_semicolons_is_read() -> None:
    log = (
        "Horodatage;Utilisateur;Adresse IP;URL;Octets\n"
        "2026-11-03 09:00:00;CHRU\\jdupont;10.0.0.7;https://chatgpt.com/;1200\n"
        "03/11/2026 09:05;jdupont@chru-exemple.fr;10.0.0.7;chat.mistral.ai;300\n"
        "2026-11-03T08:10:00Z;mmartin;10.0.0.8;www.has-sante.fr;10\n"
        "hier;mmartin;10.0.0.8;chatgpt.com;10\n"
        "2026-11-03T08:10:00Z;mmartin\n"
    )

    found, tally = await read_log(_chunks(log, 11), HostMatcher(CATALOGUE))

    day = date(2026, 11, 3).toordinal()
    assert found is LogFormat.CSV
    assert (tally.lines, tally.ai_lines, tally.malformed) == (5, 2, 2)
    assert tally.counts == {
        (day, "chatgpt", "jdupont"): [1, 1200],
        (day, "le-chat", "jdupont@chru-exemple.fr"): [1, 300],
    }


async def test_a_csv_without_a_user_column_is_refused_with_the_missing_columns() -> None:
    with pytest.raises(LogFormatError, match="d'utilisateur"):
        await read_log(_chunks("time,url,bytes\n2026-11-03 09:00:00,chatgpt.com,1\n"), HostMatcher(CATALOGUE))


async def test_an_empty_log_is_refused() -> None:
    with pytest.raises(LogFormatError):
        await read_log(_chunks("\n\n"), HostMatcher(CATALOGUE))


async def test_an_endless_line_is_skipped_without_holding_it() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b"x" * 4096
        yield b"\n" + _squid(0, "jdupont", "chatgpt.com:443").encode() + b"\n"

    _, tally = await read_log(chunks(), HostMatcher(CATALOGUE), LogFormat.SQUID)

    assert tally.ai_lines == 1
    assert tally.malformed >= 1
    assert {example["reason"] for example in tally.examples} <= {"line_too_long", "fields_missing"}


def test_hosts_match_their_longest_domain_and_nothing_else() -> None:
    matcher = HostMatcher(CATALOGUE)

    assert [matcher.match(host) for host in ("api.openai.com", "cdn.openai.com", "openai.com")] == [
        "openai-api",
        "chatgpt",
        "chatgpt",
    ]
    assert matcher.match("notopenai.com") is None
    assert matcher.match("mistral.ai") is None
    assert [
        host_of(target) for target in ("chatgpt.com:443", "https://u@Chat.Mistral.AI./x", "[::1]:80")
    ] == [
        "chatgpt.com",
        "chat.mistral.ai",
        None,
    ]


def test_the_format_is_recognised_from_the_first_line() -> None:
    assert sniff(_squid(0, "a", "chatgpt.com:443")) is LogFormat.SQUID
    assert sniff("time,user,url,bytes") is LogFormat.CSV


def test_the_shipped_catalogue_validates_and_names_the_main_public_services() -> None:
    from server.governance.shadow.catalogue import default_document

    catalogue = parse_catalogue(default_document())
    ids = {service.id for service in catalogue.services}

    assert {"chatgpt", "perplexity", "copilot", "claude", "le-chat", "gemini", "deepseek"} <= ids
    assert catalogue.service("le-chat") is not None
    assert catalogue.service("le-chat").country == "FR"  # type: ignore[union-attr]
