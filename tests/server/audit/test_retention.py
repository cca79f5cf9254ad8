"""Retention: whole old runs deleted behind a signed cut; verification accepts that and nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import psycopg
import pytest
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from server.audit.chain import Record, link
from server.audit.cuts import Cut
from server.audit.retention import RetentionRefusedError, purge
from server.audit.retention_task import retention_task
from server.audit.verify import record_of
from server.work import Presence, Worker, WorkRegistry

pytestmark = pytest.mark.anyio

COLUMNS = ["seq", "kind", "trace_id", "trace_seq", "recorded_ns", "run_id", "name", "body"]


async def _verify(ariane, headers, run_id: str | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    path = f"/api/audit/runs/{run_id}/verify" if run_id else "/api/audit/verify"
    return (await ariane.get(path, headers=headers("anne.lambert"))).json()


def _problems(report: dict[str, Any]) -> set[str]:
    return {problem["kind"] for problem in report["problems"]}


def _seqs(store, run_id: str) -> list[int]:  # type: ignore[no-untyped-def]
    trace_id = store.execute(
        "SELECT trace_id FROM audit_records WHERE kind = 'run_start' AND run_id = %s", (run_id,)
    ).fetchone()[0]
    rows = store.execute("SELECT seq FROM audit_records WHERE trace_id = %s ORDER BY seq", (trace_id,))
    return [seq for (seq,) in rows.fetchall()]


async def _late_span(app, settle, store, run_id: str) -> None:  # type: ignore[no-untyped-def]
    """A span recorded now in an older run's trace (as a decision taken later would be)."""
    trace_id = store.execute(
        "SELECT trace_id FROM audit_records WHERE kind = 'run_start' AND run_id = %s", (run_id,)
    ).fetchone()[0]
    parent = NonRecordingSpan(SpanContext(int(trace_id, 16), 0x1234, True, TraceFlags(1)))
    with trace.get_tracer("tests.retention").start_as_current_span(
        "late decision", context=trace.set_span_in_context(parent)
    ):
        pass
    await settle()


@pytest.fixture
def two_runs(ask, app, settle, store):  # type: ignore[no-untyped-def]
    """An old run, then a run that straddles the cutoff (a span of its trace is recorded after it)."""

    async def make() -> tuple[dict[str, Any], dict[str, Any], datetime]:
        old = await ask("claire.dubois")
        straddling = await ask(
            "julien.perrin",
            "Résume-moi l'intervention de Julien Perrin à l'assemblée générale DTNIB en 3 points",
        )
        await settle()
        cutoff = datetime.now(UTC)
        await _late_span(app, settle, store, straddling["id"])
        return old, straddling, cutoff

    return make


async def test_a_purge_deletes_whole_old_runs_behind_a_signed_cut_and_the_store_still_verifies(
    two_runs, app, ariane, headers, store, settle, ask
):
    old, straddling, cutoff = await two_runs()
    kept = _seqs(store, straddling["id"])
    audit = app.state.audit

    report = await purge(audit.pool, audit.book, cutoff)

    assert report.cut is not None
    assert report.deleted == report.cut.records > 0
    first = store.execute("SELECT min(seq) FROM audit_records").fetchone()[0]
    assert first == report.cut.upto + 1 <= kept[0]
    assert _seqs(store, straddling["id"]) == kept  # the run straddling the cutoff is kept whole
    old_records = store.execute("SELECT count(*) FROM audit_records WHERE run_id = %s", (old["id"],))
    assert old_records.fetchone() == (0,)
    stored = store.execute("SELECT name, body FROM audit_records WHERE kind = 'retention_cut'").fetchall()
    assert [(name, Cut.parse(body)) for name, body in stored] == [(f"upto {report.cut.upto}", report.cut)]
    kept = store.execute("SELECT store, upto, body, signature FROM audit_cuts").fetchall()
    assert kept == [(report.cut.store, report.cut.upto, report.cut.body(), report.cut.signature)]
    assert (report.cut.runs, report.cut.cutoff) == (1, cutoff.isoformat())
    verified = await _verify(ariane, headers)
    assert (verified["ok"], verified["problems"]) == (True, [])
    assert (await _verify(ariane, headers, straddling["id"]))["ok"]
    gone = await ariane.get(f"/api/audit/runs/{old['id']}", headers=headers("anne.lambert"))
    assert (gone.status_code, gone.json()["error"]) == (404, "run_not_found")
    replay = await ariane.post(
        f"/api/audit/runs/{straddling['id']}/replay", json={}, headers=headers("anne.lambert")
    )
    assert replay.json()["status"] == "identique"

    later = await ask("claire.dubois")  # the chain goes on after the cut
    await audit.writer.anchor()
    assert (await _verify(ariane, headers))["ok"]
    assert (await _verify(ariane, headers, later["id"]))["ok"]


async def test_a_second_purge_follows_the_first_and_an_anchor_before_the_cut_is_retired(
    two_runs, app, ariane, headers, ask, settle
):
    _, straddling, first_cutoff = await two_runs()
    audit = app.state.audit
    await audit.writer.anchor()
    first = await purge(audit.pool, audit.book, first_cutoff)
    await ask("claire.dubois")
    await settle()

    second = await purge(audit.pool, audit.book, datetime.now(UTC))

    assert first.cut is not None
    assert second.cut is not None
    assert second.cut.upto > first.cut.upto
    assert second.cut.store == first.cut.store
    report = await _verify(ariane, headers)
    assert (report["ok"], report["problems"]) == (True, [])
    gone = await ariane.get(f"/api/audit/runs/{straddling['id']}", headers=headers("anne.lambert"))
    assert gone.status_code == 404


async def test_a_dry_run_deletes_nothing_and_says_what_it_would_delete(two_runs, app, store):
    _, straddling, cutoff = await two_runs()
    before = store.execute("SELECT count(*), max(seq) FROM audit_records").fetchone()
    audit = app.state.audit

    report = await purge(audit.pool, audit.book, cutoff, dry_run=True)

    assert store.execute("SELECT count(*), max(seq) FROM audit_records").fetchone() == before
    assert store.execute("SELECT count(*) FROM audit_cuts").fetchone() == (0,)
    assert (report.dry_run, report.deleted, report.cut) == (True, 0, None)
    assert (report.plan.first, report.plan.runs) == (1, 1)
    assert 1 <= report.plan.upto < _seqs(store, straddling["id"])[0]
    done = await purge(audit.pool, audit.book, cutoff)
    assert (done.plan.upto, done.plan.traces, done.deleted) == (
        report.plan.upto,
        report.plan.traces,
        report.plan.upto,
    )


async def test_nothing_is_purged_when_no_whole_run_is_old_enough(ask, app, store):
    await ask("claire.dubois")
    audit = app.state.audit
    before = store.execute("SELECT count(*) FROM audit_records").fetchone()

    report = await purge(audit.pool, audit.book, datetime(2020, 1, 1, tzinfo=UTC))

    assert (report.plan.empty, report.deleted, report.cut) == (True, 0, None)
    assert store.execute("SELECT count(*) FROM audit_records").fetchone() == before
    assert store.execute("SELECT min(seq) FROM audit_records").fetchone() == (1,)


def _rewrite_cut(store, mutate) -> None:  # type: ignore[no-untyped-def]
    """A superuser edits the stored cut (the head) and recomputes its digest and links: chains agree."""
    store.execute("SET session_replication_role = replica")
    row = store.execute(
        f"SELECT {', '.join(COLUMNS)} FROM audit_records WHERE kind = 'retention_cut'"
    ).fetchone()
    assert store.execute("SELECT max(seq) FROM audit_records").fetchone() == (row[0],)
    forged: Record = record_of(dict(zip(COLUMNS, row, strict=True)) | {"body": mutate(row[7])})
    previous = store.execute("SELECT chain FROM audit_records WHERE seq = %s", (row[0] - 1,)).fetchone()[0]
    digest = forged.digest()
    store.execute(
        "UPDATE audit_records SET body = %s, digest = %s, chain = %s, trace_chain = %s WHERE seq = %s",
        (forged.body, digest, link(bytes(previous), digest), link(bytes(32), digest), row[0]),
    )
    store.execute("SET session_replication_role = origin")


def _edited_upto(body: str) -> str:
    data = json.loads(body)
    data["upto"] += 3
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


async def test_a_cut_whose_stated_end_was_edited_fails_verification(two_runs, app, ariane, headers, store):
    _, _, cutoff = await two_runs()
    audit = app.state.audit
    await purge(audit.pool, audit.book, cutoff)
    store.execute("SET session_replication_role = replica")  # only the store's copy is left to judge by
    store.execute("DELETE FROM audit_cuts")
    store.execute("SET session_replication_role = origin")
    store.execute("ALTER TABLE audit_records DISABLE TRIGGER USER")
    upto = store.execute("SELECT min(seq) FROM audit_records").fetchone()[0] - 1
    store.execute("DELETE FROM audit_records WHERE seq <= %s", (upto + 3,))  # three more, as the forgery says
    store.execute("ALTER TABLE audit_records ENABLE TRIGGER USER")

    _rewrite_cut(store, _edited_upto)

    report = await _verify(ariane, headers)
    assert "forged_cut" in _problems(report)
    assert "deleted" in _problems(report)  # without a trusted cut, the missing records are a deletion


async def test_a_cut_with_a_wrong_signature_fails_verification(two_runs, app, ariane, headers, store):
    _, _, cutoff = await two_runs()
    audit = app.state.audit
    await purge(audit.pool, audit.book, cutoff)
    cut = json.loads(store.execute("SELECT body FROM audit_cuts").fetchone()[0])
    cut["signature"] = ("0" if cut["signature"][0] != "0" else "1") + cut["signature"][1:]
    store.execute("SET session_replication_role = replica")  # a superuser edits the kept copy
    store.execute("UPDATE audit_cuts SET body = %s", (json.dumps(cut),))
    store.execute("SET session_replication_role = origin")

    report = await _verify(ariane, headers)

    assert not report["ok"]
    assert [(p["kind"], p["seq"]) for p in report["problems"]] == [("forged_cut", cut["upto"])]
    assert "not signed by the anchor key" in report["problems"][0]["detail"]


async def test_deleting_old_runs_without_a_cut_fails_verification(two_runs, app, ariane, headers, store):
    _, _, cutoff = await two_runs()
    audit = app.state.audit
    planned = (await purge(audit.pool, audit.book, cutoff, dry_run=True)).plan

    with store.transaction():  # naming a cut is not enough: one must be stored
        store.execute("SELECT set_config('ariane.audit_purge_upto', %s, true)", (str(planned.upto),))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            store.execute("DELETE FROM audit_records WHERE seq <= %s", (planned.upto,))
    store.execute("SET session_replication_role = replica")  # a superuser bypasses the trigger
    store.execute("DELETE FROM audit_records WHERE seq <= %s", (planned.upto,))

    report = await _verify(ariane, headers)
    assert [(p["kind"], p["seq"]) for p in report["problems"]] == [("deleted", planned.upto + 1)]
    assert "without a signed retention cut" in report["problems"][0]["detail"]


async def test_deleting_more_than_the_cut_says_fails_verification(two_runs, app, ariane, headers, store):
    _, _, cutoff = await two_runs()
    audit = app.state.audit
    cut = (await purge(audit.pool, audit.book, cutoff)).cut
    assert cut is not None
    store.execute("SET session_replication_role = replica")
    store.execute("DELETE FROM audit_records WHERE seq = %s", (cut.upto + 1,))

    report = await _verify(ariane, headers)

    mismatch = [p for p in report["problems"] if p["kind"] == "cut_mismatch"]
    assert [p["seq"] for p in mismatch] == [cut.upto + 2]
    assert "more records are missing" in mismatch[0]["detail"]


async def test_deleting_less_than_the_cut_says_fails_verification(two_runs, app, ariane, headers, store):
    _, _, cutoff = await two_runs()
    audit = app.state.audit
    upto = (await purge(audit.pool, audit.book, cutoff, dry_run=True)).plan.upto
    survivor = store.execute("SELECT * FROM audit_records WHERE seq = %s", (upto,)).fetchone()
    await purge(audit.pool, audit.book, cutoff)
    store.execute("SET session_replication_role = replica")  # the cut says `upto` went; it is back
    store.execute(f"INSERT INTO audit_records VALUES ({', '.join(['%s'] * len(survivor))})", survivor)

    report = await _verify(ariane, headers)

    assert [(p["kind"], p["seq"]) for p in report["problems"]] == [("cut_mismatch", upto)]
    assert "records it deleted are still there" in report["problems"][0]["detail"]


async def test_a_worker_purges_daily_when_retention_is_set(two_runs, app, store):
    _, straddling, cutoff = await two_runs()
    audit = app.state.audit
    kept = _seqs(store, straddling["id"])
    days = 30
    purged = store.execute("SELECT count(*) FROM audit_records").fetchone()[0]
    task = retention_task(audit.pool, audit.book, days, clock=lambda: cutoff.timestamp() + days * 86400)
    assert task is not None
    assert retention_task(audit.pool, audit.book, 0) is None  # retention off: no daily task at all
    work = WorkRegistry()
    work.add_periodic(replace(task, first_delay=0))  # the first purge at once, not a minute after start
    worker = Worker(audit.pool, work, Presence.of_this_process("worker"))

    await worker.start()
    try:
        with anyio.fail_after(60):  # wait for its cut, bounded
            while store.execute("SELECT count(*) FROM audit_cuts").fetchone() == (0,):
                await anyio.sleep(0.02)
    finally:
        await worker.close()

    assert store.execute("SELECT count(*) FROM audit_records").fetchone()[0] < purged
    assert _seqs(store, straddling["id"]) == kept


def _ariane(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from server.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ | env)


async def test_the_purge_command_says_what_it_would_delete_then_deletes_it(
    ask, ariane, headers, settle, database_url, audit_settings
):
    await ask("claire.dubois")
    await settle()
    env = {"DATABASE_URL": database_url, "ARIANE_DATA_DIR": str(audit_settings.data_dir)}
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()

    refused = await anyio.to_thread.run_sync(lambda: _ariane("audit", "purge", env=env))
    planned = await anyio.to_thread.run_sync(
        lambda: _ariane("audit", "purge", "--before", tomorrow, "--dry-run", env=env)
    )
    done = await anyio.to_thread.run_sync(lambda: _ariane("audit", "purge", "--before", tomorrow, env=env))

    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "ariane: rétention désactivée (ARIANE_AUDIT_RETENTION_DAYS=0) : précisez --before DATE"
    )
    assert planned.returncode == 0, planned.stderr
    assert planned.stdout.startswith("Simulation : la purge supprimerait les enregistrements 1 à ")
    assert "1 exécution(s)" in planned.stdout
    assert "Rien n'a été supprimé." in planned.stdout
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Purge effectuée : ")
    assert "Coupure signée ajoutée au journal" in done.stdout
    assert (await _verify(ariane, headers))["ok"]


async def test_a_purge_of_a_store_that_does_not_verify_is_refused_in_the_readers_language(
    ask, app, settle, store, database_url, audit_settings
):
    run = await ask("claire.dubois")
    await settle()
    store.execute("SET session_replication_role = replica")  # what a superuser can do: triggers off
    store.execute(
        "UPDATE audit_records SET body = replace(body, 'assemblee generale dtnib', 'comite de direction') "
        "WHERE kind = 'tool_call' AND run_id = %s",
        (run["id"],),
    )
    seq = store.execute(
        "SELECT min(seq) FROM audit_records WHERE kind = 'tool_call' AND run_id = %s", (run["id"],)
    ).fetchone()[0]
    env = {"DATABASE_URL": database_url, "ARIANE_DATA_DIR": str(audit_settings.data_dir)}
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()

    with pytest.raises(RetentionRefusedError) as refused:
        await purge(app.state.audit.pool, app.state.audit.book, datetime.now(UTC))
    english = await anyio.to_thread.run_sync(
        lambda: _ariane("audit", "purge", "--before", tomorrow, env=env | {"ARIANE_LANGUAGE": "en"})
    )

    assert str(refused.value) == (
        f"le journal d'audit ne se vérifie pas (1 problème(s), d'abord edited à l'enregistrement {seq}) :"
        " purge refusée, à examiner avant toute suppression"
    )
    assert (english.returncode, english.stderr.strip()) == (
        1,
        f"ariane: the audit trail does not verify (1 problem(s), first edited at record {seq}): purge"
        " refused, to be examined before any deletion",
    )
    assert store.execute("SELECT count(*) FROM audit_cuts").fetchone() == (0,)  # nothing was cut
