"""`ariane ask`: one chat turn as a user, through the same chat API as the web app."""

from __future__ import annotations

import json
from typing import Any

from server.cli.inprocess import in_process
from server.cli.main import CliError
from server.cli.texts import say
from server.knowledge.seed import seed_builtin_knowledge
from server.settings import Settings


async def ask(
    settings: Settings, question: str, *, user: str | None, token: str | None, assistant: str | None
) -> dict[str, Any]:
    """Run one turn and return `{"run_id", "thread_id", "status", "answer", "mode", "citations", "error"}`.

    Raises:
            CliError: no identity given, unknown user, or the API refused the request.
    """
    # A refusal is raised once the in-process app has stopped: raised inside, the MCP servers'
    # task groups would wrap it in an exception group and the user would get a traceback.
    refusal: CliError | None = None
    async with in_process(settings) as ariane:
        await seed_builtin_knowledge(ariane.app.state.context.knowledge)  # the coach's documents, once
        if token is None:
            if user is None:
                raise CliError("say who asks: --user EMAIL (local directory) or --token TOKEN")
            token = ariane.token_for(user)
        headers = {"Authorization": f"Bearer {token}"}
        body: dict[str, Any] = {"title": question[:80]}
        if assistant:
            body["assistant_id"] = assistant
        created = await ariane.client.post("/api/threads", json=body, headers=headers)
        refusal = _refusal(created.status_code, created.json())
        if refusal is None:
            thread_id = created.json()["id"]
            response = await ariane.client.post(
                f"/api/threads/{thread_id}/runs", json={"message": question}, headers=headers
            )
            refusal = _refusal(response.status_code, response.json() if response.status_code != 200 else {})
        if refusal is None:
            run_id = response.headers["x-ariane-run-id"]
            run = (await ariane.client.get(f"/api/runs/{run_id}", headers=headers)).json()
    if refusal is not None:
        raise refusal
    return {
        "run_id": run_id,
        "thread_id": thread_id,
        "status": run["status"],
        "answer": run["answer"],
        "mode": run["mode"],
        "citations": run["citations"],
        "error": run["error"],
    }


def _refusal(status: int, body: dict[str, Any]) -> CliError | None:
    if status >= 400:
        return CliError(f"{body.get('detail', body)} ({body.get('error', status)})")
    return None


def render(result: dict[str, Any], as_json: bool) -> str:
    """The result as the `--json` object, or as text for a person."""
    if as_json:
        keys = ("run_id", "thread_id", "answer", "mode", "citations")
        return json.dumps({key: result[key] for key in keys}, ensure_ascii=False, indent=2)
    if result["error"]:
        return say("ask.error", detail=result["error"]["detail"])
    lines = [result["answer"] or ""]
    if result["citations"]:
        lines += ["", say("ask.sources")]
        for index, citation in enumerate(result["citations"], start=1):
            who = f"{citation['speaker']}, " if citation.get("speaker") else ""
            lines.append(
                say(
                    "ask.citation",
                    index=index,
                    title=citation["title"],
                    who=who,
                    locator=citation["locator"],
                    quote=citation["quote"],
                )
            )
    return "\n".join(lines)
