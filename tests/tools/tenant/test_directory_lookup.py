"""Users found by mail and by id, as the scan found them, including users added after a lookup."""

from __future__ import annotations

from tools.tenant.directory import User, load_directory


def test_a_user_is_found_by_mail_whatever_its_case_and_by_id() -> None:
    directory = load_directory()
    user = directory.users[3]

    assert directory.user_by_mail(f"  {user.mail.upper()} ") is user
    assert directory.user_by_id(user.id) is user
    assert directory.user_by_mail("personne@chru-exemple.fr") is None


def test_a_user_added_after_a_lookup_is_found() -> None:
    directory = load_directory()
    assert directory.user_by_mail("agent.ajoute@chru-exemple.fr") is None
    added = User(
        id="00000000-0000-5000-8000-999999999999",
        mail="agent.ajoute@chru-exemple.fr",
        given_name="Agent",
        surname="Ajouté",
        display_name="Agent Ajouté",
        job_title="Agent administratif",
        department="Banc d'essai",
        job_category="Personnel administratif",
    )
    directory.users.append(added)

    assert directory.user_by_mail("Agent.Ajoute@chru-exemple.fr") is added
    assert directory.user_by_id(added.id) is added
