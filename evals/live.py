"""`python -m evals.live --url URL`: the suites of stored assistants, run against a running Ariane.

The offline runner (`ariane eval run`) measures the code on a fresh database; this one measures the
configuration in service — the policy, the assistants' current versions, their knowledge — through
the same chat API as the users, so that governance follows how each assistant's scores drift when
any of these changes. It prints one JSON document on standard output:
`[{"suite", "assistant", "split", "cases", "scores": {scorer: mean}}]`, one entry per suite and split.

Only suites bound to a stored assistant (`assistant:` in the dataset) run here: the others depend on
a fixed clock (« jeudi dernier ») or create assistants of their own. Tokens are minted by the local
identity provider (embedded tenant); with another issuer, `--token-file` gives one bearer token per
case user (JSON object, email → token).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import yaml

from evals.runner import DATASETS, _row
from evals.scorers import SCORERS

TIMEOUT_SECONDS = 300.0


def live_suites() -> dict[str, dict[str, Any]]:
    """The suites bound to a stored assistant, by name."""
    found = {}
    for path in sorted(DATASETS.glob("*.yaml")):
        dataset = yaml.safe_load(path.read_text(encoding="utf-8"))
        if dataset.get("assistant") and not dataset.get("assistants"):
            found[path.stem] = dataset
    return found


def _local_tokens(
    tenant_host: str | None, tenant_port: int | None, data_dir: Path | None
) -> Callable[[str], str]:
    """Tokens of the embedded identity provider of the Ariane at hand (where it runs, where its keys are)."""
    from server.cli.main import _settings, tenant_settings_for
    from tools.tenant.app import build_identity_provider
    from tools.tenant.identity.issuer import ARIANE_API_AUDIENCE, WEB_CLIENT_ID

    settings = _settings(tenant_host=tenant_host, tenant_port=tenant_port, data_dir=data_dir)
    provider = build_identity_provider(tenant_settings_for(settings))

    def mint(email: str) -> str:
        user = provider.directory.user_by_mail(email)
        if user is None:
            raise SystemExit(f"unknown user {email} in the local directory")
        token: str = provider.tokens.access_token(
            user, audience=ARIANE_API_AUDIENCE, scope="access_as_user", client_id=WEB_CLIENT_ID
        )
        return token

    return mint


async def _case(
    client: httpx.AsyncClient, token: str, case: dict[str, Any], assistant: str
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    thread = await client.post("/api/threads", json={"assistant_id": assistant}, headers=headers)
    thread.raise_for_status()
    response = await client.post(
        f"/api/threads/{thread.json()['id']}/runs", json={"message": case["message"]}, headers=headers
    )
    response.raise_for_status()
    run = await client.get(f"/api/runs/{response.headers['x-ariane-run-id']}", headers=headers)
    run.raise_for_status()
    return _row(case, run.json())


def _means(rows: list[dict[str, Any]]) -> dict[str, float]:
    means = {}
    for scorer in SCORERS:
        values = [row["scores"][scorer] for row in rows if row["scores"][scorer] is not None]
        if values:
            means[scorer] = round(statistics.fmean(values), 3)
    return means


async def run_live(
    url: str, names: list[str], token_for: Callable[[str], str], assistant: str | None = None
) -> list[dict[str, Any]]:
    """Run the live suites (those named, or all; of one assistant if given) and score them."""
    results = []
    async with httpx.AsyncClient(base_url=url, timeout=TIMEOUT_SECONDS) as client:
        for name, dataset in live_suites().items():
            if (names and name not in names) or (assistant and dataset["assistant"] != assistant):
                continue
            rows = [
                await _case(client, token_for(case["user"] + "@chru-exemple.fr"), case, dataset["assistant"])
                for case in dataset["cases"]
            ]
            splits = sorted({row["split"] for row in rows if row.get("split")}) or [""]
            for split in splits:
                chosen = [row for row in rows if not split or row.get("split") == split]
                results.append(
                    {
                        "suite": name,
                        "assistant": dataset["assistant"],
                        "split": split,
                        "cases": len(chosen),
                        "scores": _means(chosen),
                    }
                )
    return results


def main(argv: list[str]) -> int:
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    parser = argparse.ArgumentParser(prog="python -m evals.live")
    parser.add_argument("suites", nargs="*")
    parser.add_argument("--url", required=True, help="Ariane's base URL")
    parser.add_argument("--assistant", default=None, help="only this assistant's suites")
    parser.add_argument("--token-file", type=Path, default=None, help="JSON: email → bearer token")
    # Without a token file: the embedded tenant's identity provider mints them; these say which one
    # (an `ariane up --tenant-port`/`--data-dir` not in the environment), its issuer and keys.
    parser.add_argument("--tenant-host", default=None, help="the embedded tenant's interface")
    parser.add_argument("--tenant-port", type=int, default=None, help="the embedded tenant's port")
    parser.add_argument("--data-dir", type=Path, default=None, help="Ariane's data directory")
    args = parser.parse_args(argv)
    if args.token_file is not None:
        tokens: dict[str, str] = json.loads(args.token_file.read_text(encoding="utf-8"))

        def token_for(email: str) -> str:
            return tokens[email]
    else:
        token_for = _local_tokens(args.tenant_host, args.tenant_port, args.data_dir)
    results = asyncio.run(run_live(args.url, args.suites, token_for, args.assistant))
    json.dump(results, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
