"""What a mail says, by rules: the filter, and the robot's inputs read from the subject and body."""

from datetime import UTC, datetime

from server.automations.extraction import evidence, extract_inputs, matches
from tools.m365.mail import MailAddress, MailInfo
from tools.robots.catalogue import load_catalogue

ROBOTS = {robot.id: robot for robot in load_catalogue()}
MAILBOX = "alertes-securite@chru-exemple.fr"


def _mail(subject: str, body: str, sender: str = "soc@vigiesante-exemple.fr") -> MailInfo:
    return MailInfo(
        id="m-1", internet_message_id="<m-1@x>", conversation_id="c", subject=subject,
        sender=MailAddress("Vigie Santé — centre de veille", sender), to=(MailAddress("", MAILBOX),), cc=(),
        received=datetime(2026, 12, 5, 23, 30, tzinfo=UTC), body=body, is_read=False, is_draft=False,
        web_link="", importance="high",
    )  # fmt: skip


def test_the_account_is_the_first_tenant_address_neither_the_sender_nor_the_mailbox():
    mail = _mail(
        "[Vigie Santé] Compte compromis",
        f"Copie à {MAILBOX} et soc@vigiesante-exemple.fr.\nCompte : Karim.Haddad@chru-exemple.fr\n"
        "Contact : support@prestataire-exemple.com\nNiveau de gravité : élevé",
    )

    inputs = extract_inputs(ROBOTS["securisation-compte-compromis"], {}, mail, MAILBOX)

    assert inputs == {"compte": "karim.haddad@chru-exemple.fr", "source": "Vigie Santé — centre de veille"}
    assert evidence(mail)["evidence"] == [
        "Compte : Karim.Haddad@chru-exemple.fr",
        "Contact : support@prestataire-exemple.com",
        "Niveau de gravité : élevé",
    ]


def test_fixed_inputs_win_and_a_date_input_takes_the_paris_day_received():
    mail = _mail("Rapport", "Rien.")

    fixed = extract_inputs(
        ROBOTS["securisation-compte-compromis"], {"compte": "x@chru-exemple.fr"}, mail, MAILBOX
    )
    dated = extract_inputs(ROBOTS["rapport-vulnerabilites-ad"], {}, mail, MAILBOX)

    assert fixed["compte"] == "x@chru-exemple.fr"
    assert dated == {"date": "2026-12-06"}  # 23:30 UTC is already the next day in Paris


def test_a_mail_without_an_account_gives_no_account():
    inputs = extract_inputs(
        ROBOTS["securisation-compte-compromis"], {}, _mail("Compte compromis", "Aucun."), MAILBOX
    )

    assert "compte" not in inputs


def test_the_filter_needs_every_condition_it_names():
    mail = _mail("[Vigie Santé] Compte compromis : k", "Niveau de gravité : élevé")

    assert matches({"sender": "@vigiesante-exemple.fr", "subject": "COMPTE COMPROMIS"}, mail)
    assert matches({"sender": "soc@vigiesante-exemple.fr", "body": "gravité : élevé"}, mail)
    assert not matches({"sender": "@vigiesante-exemple.fr.evil"}, mail)
    assert not matches({"sender": "@exemple.fr", "subject": "bulletin"}, mail)
    assert not matches(
        {"sender": "@vigiesante-exemple.fr"}, _mail("x", "y", sender="soc@evil-vigiesante-exemple.fr")
    )
