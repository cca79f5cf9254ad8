"""A transcript read as sentences: across cues, quoted exactly, its announced parts followed."""

from agents.meetings.talk import announced, readable, stream


def _cue(number: int, speaker: str, text: str) -> dict[str, str]:
    return {"id": f"c{number}", "speaker": speaker, "text": text}


def test_a_sentence_running_over_two_cues_is_one_sentence_that_quotes_within_one_cue():
    cues = [
        _cue(
            1, "Hélène Marchal", "Bien. Ce que je demande, c'est qu'on étende ces robots. D'abord aux autres"
        ),
        _cue(
            2, "Hélène Marchal", "établissements du groupement. Ensuite, qu'on regarde le couplage avec l'IA."
        ),
        _cue(3, "Julien Perrin", "Je le note."),
    ]

    sentences = stream(cues)

    assert [s.text for s in sentences] == [
        "Bien.",
        "Ce que je demande, c'est qu'on étende ces robots.",
        "D'abord aux autres établissements du groupement.",
        "Ensuite, qu'on regarde le couplage avec l'IA.",
        "Je le note.",
    ]
    assert sentences[2].cue_ids == ["c1", "c2"]
    assert sentences[2].quote == "établissements du groupement."
    assert sentences[4].speaker == "Julien Perrin"


def test_announced_parts_are_followed_and_a_restatement_is_no_new_part():
    cues = [
        _cue(1, "A", "Premier message : la priorité est l'IA institutionnelle."),
        _cue(2, "A", "Exactement, j'y reviendrai. Donc premier point : un modèle hébergé HDS."),
        _cue(3, "A", "Deuxième message : on part du besoin des agents."),
        _cue(4, "A", "Sixième et dernier message : l'accompagnement."),
    ]

    sentences = stream(cues)

    assert [sentences[i].text[:16] for i in announced(sentences)] == [
        "Premier message ",
        "Deuxième message",
        "Sixième et derni",
    ]


def test_a_point_does_not_start_on_a_filler():
    assert (
        readable("Alors, donc le budget est de 1,8 million d'euros.")
        == "Le budget est de 1,8 million d'euros."
    )
