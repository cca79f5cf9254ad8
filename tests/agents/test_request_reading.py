import pytest

from agents.meetings.request import MeetingRequest, match_speaker, read_request


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "J'ai loupé l'assemblée générale DTNIB, résume-moi l'intervention d'Hélène Marchal en 4 points",
            MeetingRequest(
                subject="assemblee generale dtnib", when=None, speaker_hint="helene marchal", points=4
            ),
        ),
        (
            "Résume le comité de direction de lundi dernier en trois points",
            MeetingRequest(subject="comite direction", when="lundi dernier", speaker_hint=None, points=3),
        ),
        (
            "Que s'est-il dit au comité de pilotage IA du 19 juin ?",
            MeetingRequest(subject="comite pilotage ia", when="19 juin", speaker_hint=None, points=None),
        ),
        (
            "Fais-moi une synthèse de la réunion cellule temps de travail d'hier",
            MeetingRequest(subject="cellule temps travail", when="hier", speaker_hint=None, points=None),
        ),
    ],
)
def test_french_requests_are_read_into_subject_date_speaker_and_count(message, expected):
    assert read_request(message) == expected


def test_speakers_are_matched_by_full_name_or_surname_accents_ignored():
    speakers = ["Hélène Marchal", "Julien Perrin"]

    assert match_speaker(None, "résume l'intervention d'helene marchal", speakers) == "Hélène Marchal"
    assert match_speaker("perrin", "ce qu'a dit Perrin", speakers) == "Julien Perrin"
    assert match_speaker("karim haddad", "l'intervention de Karim Haddad", speakers) is None
