"""What the `ariane` command prints for a person (reports, answers, progress) in French or English.

French by default; English with `ARIANE_LANGUAGE=en`. A variable of its own rather than the locale:
servers commonly run under `en_US.UTF-8` or `C.UTF-8` whatever their operators read. The same language
goes to the API as `Accept-Language`, so the server's refusals read alike. The command's own usage
errors and help are English, as for any developer tool.
"""

from __future__ import annotations

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from tools.i18n import Catalogue, Language, Text

CLI_TEXTS = Catalogue(
    {
        "ask.error": {"fr": "Erreur : {detail}", "en": "Error: {detail}"},
        "ask.sources": {"fr": "Sources :", "en": "Sources:"},
        "ask.citation": {
            "fr": "[{index}] {title} — {who}{locator} : « {quote} »",
            "en": "[{index}] {title} — {who}{locator}: « {quote} »",
        },
        "audit.no_runs": {"fr": "Aucune exécution enregistrée.", "en": "No run recorded."},
        "audit.run_line_tools": {"fr": "outils : {tools}", "en": "tools: {tools}"},
        "audit.by_automation": {"fr": "automatisation « {name} »", "en": "automation « {name} »"},
        "audit.by_conversation": {"fr": "conversation", "en": "conversation"},
        "audit.launch_robot": {
            "fr": "  robot {robot} v{version} lancé par {by}",
            "en": "  robot {robot} v{version} launched by {by}",
        },
        "audit.launch_decision": {
            "fr": "  décision : {status} par {approver} le {decided_at}",
            "en": "  decision: {status} by {approver} on {decided_at}",
        },
        "audit.launch_inputs": {
            "fr": "  entrées : {inputs} (empreinte {digest})",
            "en": "  inputs: {inputs} (digest {digest})",
        },
        "audit.launch_job": {"fr": "  tâche : {job} {status}", "en": "  job: {job} {status}"},
        "audit.launch_no_job": {"fr": "  tâche : aucune", "en": "  job: none"},
        "audit.run_title": {"fr": "Exécution {run} — {status}", "en": "Run {run} — {status}"},
        "audit.run_user": {
            "fr": "  utilisateur : {name} <{email}>",
            "en": "  user        : {name} <{email}>",
        },
        "audit.run_assistant": {
            "fr": "  assistant   : {assistant} v{version}, parcours {workflow}",
            "en": "  assistant   : {assistant} v{version}, workflow {workflow}",
        },
        "audit.run_clock": {
            "fr": "  horloge     : {now}   politique : v{policy}",
            "en": "  clock       : {now}   policy: v{policy}",
        },
        "audit.run_message": {"fr": "  message     : {message}", "en": "  message     : {message}"},
        "audit.steps": {"fr": "Étapes :", "en": "Steps:"},
        "audit.step_tool": {
            "fr": "  {step:>2}. outil {tool} {arguments} → {outcome}",
            "en": "  {step:>2}. tool {tool} {arguments} → {outcome}",
        },
        "audit.step_ok": {"fr": "ok", "en": "ok"},
        "audit.step_error": {"fr": "erreur", "en": "error"},
        "audit.step_model": {
            "fr": "  {step:>2}. modèle {method} {path} → {status}",
            "en": "  {step:>2}. model {method} {path} → {status}",
        },
        "audit.trace": {"fr": "Trace :", "en": "Trace:"},
        "audit.span_policy": {"fr": "  [politique : {decision}]", "en": "  [policy: {decision}]"},
        "audit.answer": {"fr": "Réponse :", "en": "Answer:"},
        "audit.verified": {
            "fr": "Vérification réussie : {records} enregistrements, {anchors} ancre(s) ({scope}).",
            "en": "Verification passed: {records} records, {anchors} anchor(s) ({scope}).",
        },
        "audit.verify_failed": {
            "fr": "Vérification ÉCHOUÉE ({scope}) : {count} problème(s)",
            "en": "Verification FAILED ({scope}): {count} problem(s)",
        },
        "audit.verify_problem": {
            "fr": "  - {kind} à l'enregistrement {seq} : {detail}",
            "en": "  - {kind} at record {seq}: {detail}",
        },
        # « identique » is the replay's status, the word auditors look for, in either language.
        "audit.replay_other_code": {
            "fr": "Attention : exécution produite par une autre version du code (agents {recorded},"
            " commit {commit}) ; rejouée avec la version actuelle (agents {current}).",
            "en": "Warning: run produced by another version of the code (agents {recorded}, commit"
            " {commit}); replayed with the current version (agents {current}).",
        },
        "audit.replay_identical": {
            "fr": "identique — {steps} étape(s) rejouée(s) en {ms} ms, même réponse.",
            "en": "identique — {steps} step(s) replayed in {ms} ms, same answer.",
        },
        "audit.replay_divergence": {
            "fr": "divergence à l'étape {step} ({kind}, {path})",
            "en": "divergence at step {step} ({kind}, {path})",
        },
        "audit.replay_expected": {"fr": "  attendu : {value}", "en": "  expected: {value}"},
        "audit.replay_got": {"fr": "  obtenu  : {value}", "en": "  got     : {value}"},
        "audit.whatif_title": {
            "fr": "Rejeu avec le modèle {model} : réponse {status}",
            "en": "Replay with model {model}: answer {status}",
        },
        "audit.whatif_recorded": {"fr": "— Réponse enregistrée —", "en": "— Recorded answer —"},
        "audit.whatif_replayed": {"fr": "— Réponse avec {model} —", "en": "— Answer with {model} —"},
        "audit.whatif_diff": {"fr": "— Différences —", "en": "— Differences —"},
        "audit.whatif_no_diff": {"fr": "(aucune)", "en": "(none)"},
        "audit.whatif_note": {"fr": "Note : {note}", "en": "Note: {note}"},
        "retention.off": {
            "fr": "rétention désactivée (ARIANE_AUDIT_RETENTION_DAYS=0) : précisez --before DATE",
            "en": "retention off (ARIANE_AUDIT_RETENTION_DAYS=0): give --before DATE",
        },
        "retention.nothing": {
            "fr": "Rien à supprimer : aucune exécution entière enregistrée avant {cutoff}.",
            "en": "Nothing to delete: no whole run recorded before {cutoff}.",
        },
        "retention.what": {
            "fr": "les enregistrements {first} à {upto} ({count}), {traces} trace(s) dont {runs}"
            " exécution(s), enregistrés avant {cutoff}",
            "en": "records {first} to {upto} ({count}), {traces} trace(s) of which {runs} run(s),"
            " recorded before {cutoff}",
        },
        "retention.dry_run": {
            "fr": "Simulation : la purge supprimerait {what}. Rien n'a été supprimé.",
            "en": "Dry run: the purge would delete {what}. Nothing was deleted.",
        },
        "retention.done": {
            "fr": "Purge effectuée : {deleted} enregistrements supprimés — {what}. Coupure signée"
            " ajoutée au journal (jusqu'à {upto}, chaîne {chain}…).",
            "en": "Purge done: {deleted} records deleted — {what}. Signed cut added to the log (up to"
            " {upto}, chain {chain}…).",
        },
        "batch.status.completed": {"fr": "terminé", "en": "completed"},
        "batch.status.paused": {"fr": "en pause", "en": "paused"},
        "batch.status.failed": {"fr": "en échec", "en": "failed"},
        "batch.status.cancelled": {"fr": "annulé", "en": "cancelled"},
        "batch.status.running": {"fr": "en cours", "en": "running"},
        "batch.status.draft": {"fr": "brouillon", "en": "draft"},
        "batch.written": {"fr": "Courriers écrits dans {output}.", "en": "Letters written to {output}."},
        "batch.not_written": {"fr": "Rien n'est écrit : {detail}", "en": "Nothing written: {detail}"},
        "batch.progress": {"fr": "{done}/{total} lignes", "en": "{done}/{total} rows"},
        "batch.summary": {
            "fr": "Traitement {batch} : {status} — {succeeded} courrier(s), {refused} refusé(s),"
            " {failed} en échec, sur {total} ligne(s).",
            "en": "Batch {batch}: {status} — {succeeded} letter(s), {refused} refused, {failed} failed,"
            " out of {total} row(s).",
        },
        "governance.written": {
            "fr": "Dossier de certification écrit dans {output}.",
            "en": "Certification pack written to {output}.",
        },
        "governance.refused": {"fr": "refusé ({status})", "en": "refused ({status})"},
        "tools.server_facts": {
            "fr": "  protocole {protocol}, santé {health}, par {by}; {hosting}, données {data_class} au"
            " plus; isolation : {isolation}",
            "en": "  protocol {protocol}, health {health}, by {by}; {hosting}, data {data_class} at most;"
            " isolation: {isolation}",
        },
        "tools.not_inspected": {
            "fr": "  pas encore inspecté : rien n'a été démarré ni contacté",
            "en": "  not inspected yet: nothing was started or contacted",
        },
        "tools.removed": {"fr": "{name} : retiré du registre.", "en": "{name}: removed from the registry."},
    }
)


class CliLanguageSettings(BaseSettings):
    """`ARIANE_LANGUAGE`: the language the command prints in."""

    model_config = SettingsConfigDict(env_prefix="ARIANE_", env_file=".env", extra="ignore")

    language: Language = Field("fr", description="`fr` (default) or `en`: what `ariane` prints.")


def cli_language() -> Language:
    """The language of what the command prints: `ARIANE_LANGUAGE` (`fr` or `en`), French by default."""
    try:
        return CliLanguageSettings().language
    except ValidationError as exc:
        from server.cli.main import CliError  # main imports the commands, which import this module

        raise CliError("ARIANE_LANGUAGE must be fr or en") from exc


def say(key: str, **params: object) -> str:
    """The text `key` in the command's language."""
    return CLI_TEXTS.text(key, cli_language(), **params)


def shown(detail: str | Text) -> str:
    """A server text (an `ApiError`'s) in the command's language."""
    return detail.render(cli_language()) if isinstance(detail, Text) else detail


def language_header() -> dict[str, str]:
    """The `Accept-Language` the command's API calls carry, so the server's refusals read alike."""
    return {"Accept-Language": cli_language()}
