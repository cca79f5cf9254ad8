from agents.citations import quote_is_in, quote_problem
from agents.meetings.answer import cite_points
from agents.meetings.points import Point

CUES = [
    {
        "id": "c1",
        "start": "00:00:01.000",
        "end": "00:00:05.000",
        "speaker": "Hélène Marchal",
        "text": "L'IA institutionnelle est la priorité.\nUn LLM hébergé HDS.",
    },
    {
        "id": "c2",
        "start": "00:00:05.000",
        "end": "00:00:09.000",
        "speaker": "Julien Perrin",
        "text": "Le budget est voté.",
    },
]


def test_quotes_match_modulo_whitespace_and_apostrophe_style_only():
    assert quote_is_in("L’IA institutionnelle est la priorité. Un LLM", CUES[0]["text"])
    assert not quote_is_in("L'IA institutionnelle est une priorité", CUES[0]["text"])
    assert not quote_is_in("", CUES[0]["text"])


def test_transcript_citations_are_dropped_when_quote_speaker_or_cue_do_not_check_out():
    points = [
        Point(text="ok", cue_ids=["c1"], quote="Un LLM hébergé HDS.", speaker="Hélène Marchal"),
        Point(
            text="invented", cue_ids=["c1"], quote="Un LLM hébergé aux États-Unis.", speaker="Hélène Marchal"
        ),
        Point(text="wrong speaker", cue_ids=["c2"], quote="Le budget est voté.", speaker="Hélène Marchal"),
        Point(text="no such cue", cue_ids=["c9"], quote="Le budget est voté.", speaker=None),
    ]

    kept, dropped = cite_points(points, CUES, "tr-1", "AG", "evt-1")

    assert [(point.text, citation.locator, citation.url) for point, citation in kept] == [
        ("ok", "00:00:01.000–00:00:05.000", "/reunions/evt-1?cues=c1")
    ]
    assert [item.reason for item in dropped] == ["quote_not_found", "speaker_mismatch", "locator_not_found"]


def test_quotes_of_fewer_than_12_characters_are_refused_even_when_found():
    points = [
        Point(text="one word", cue_ids=["c2"], quote="on", speaker="Julien Perrin"),
        Point(text="two", cue_ids=["c2"], quote="de", speaker=None),
        Point(text="eleven", cue_ids=["c2"], quote="budget est ", speaker=None),
        Point(text="twelve", cue_ids=["c2"], quote="e budget est", speaker=None),
    ]

    kept, dropped = cite_points(points, CUES, "tr-1", "AG", "evt-1")

    assert [point.text for point, _ in kept] == ["twelve"]
    assert [item.reason for item in dropped] == ["quote_too_short"] * 3
    assert quote_problem("on", CUES[1]["text"]) == "quote_too_short"
    assert quote_problem("Le budget est voté.", CUES[1]["text"]) is None
