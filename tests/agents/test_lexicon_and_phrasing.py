"""French word matching, contractions and footnote renumbering: the small pieces answers rest on."""

from agents.citations import renumber_markers
from agents.conversation import PriorTurn, is_follow_up, standalone
from agents.documents.passages import Passage
from agents.grounded import best_sentence_for, excerpt, follow_up_topic, without_asked_kind
from agents.knowledge.graph import collection_weights, shown_passages
from agents.lexicon import coverage, expansion, matches, term_set, weights, with_acronyms
from agents.phrasing import of_whom, to_whom
from agents.requests import asks_calendar, asks_document_synthesis, asks_meeting_summary, needs_model


def test_inflections_accents_and_synonyms_meet():
    question = term_set("Quel est le plafond de remboursement d'une nuitée ?")
    passage = term_set("Les frais d'hébergement sont remboursés dans la limite de 90 euros au maximum.")

    assert coverage(question, passage, weights(question, [passage])) == 1.0


def test_question_words_and_light_verbs_are_not_topic():
    assert term_set("Que se passe-t-il si je dois faire ça ?") == set()


def test_contacts_get_the_right_french_article():
    assert to_whom("le bureau des missions") == "au bureau des missions"
    assert to_whom("les ressources humaines") == "aux ressources humaines"
    assert to_whom("la cellule temps de travail") == "à la cellule temps de travail"
    assert to_whom("l'accueil") == "à l'accueil"
    assert of_whom("Hélène Marchal") == "d'Hélène Marchal"
    assert of_whom("le service paie") == "du service paie"


def test_markers_of_dropped_citations_go_and_the_others_are_renumbered():
    answer = "Le plafond est de 90 euros [1] ; à Paris, 140 euros [2]. Les repas [3] sont forfaitaires."

    assert renumber_markers(answer, {1: 1, 3: 2}) == (
        "Le plafond est de 90 euros [1] ; à Paris, 140 euros. Les repas [2] sont forfaitaires."
    )


def test_follow_ups_are_read_with_the_previous_question():
    history = [
        PriorTurn(message="Quand l'ordre de mission doit-il être signé ?", workflow="knowledge_question")
    ]

    assert is_follow_up("Et si c'est urgent ?", history)
    assert (
        standalone("Et si c'est urgent ?", history)
        == "Quand l'ordre de mission doit-il être signé ? Et si c'est urgent ?"
    )
    assert not is_follow_up("Quel est le plafond d'une nuit d'hôtel à Paris ?", history)
    assert not is_follow_up("Et si c'est urgent ?", [])


def test_requests_are_told_apart_by_their_grammar():
    assert asks_calendar("Quelles réunions ai-je cette semaine ?")
    assert asks_calendar("Qu'est-ce que j'ai jeudi ?")
    assert not asks_calendar("Résume la réunion de jeudi")
    assert asks_meeting_summary("Résume-moi l'assemblée générale DTNIB en 4 points")
    assert needs_model("Rédige un mail à Julien pour décaler la réunion")
    assert needs_model("Combien font 17 fois 23 ?")
    assert not needs_model("Combien de jours de congés ai-je ?")
    assert asks_document_synthesis("Fais-moi une synthèse de la feuille de route IA")
    assert not asks_document_synthesis("Fais-moi une synthèse du comité de pilotage IA")


def test_an_acronym_meets_the_words_it_stands_for_on_either_side():
    question = "Quel est le plafond du compte épargne-temps ?"
    passage = "Le CET ne peut pas dépasser 60 jours."
    held = with_acronyms(question, passage, term_set(passage))

    assert term_set(question) <= held | {"plafond"}
    assert "cpam" in with_acronyms("Que fait la CPAM ?", "la caisse primaire d'assurance maladie", set())
    assert with_acronyms("Que fait cet agent ?", "et le reste", set()) == set()  # not acronyms


def test_the_askers_own_figures_and_framing_words_weigh_little():
    question = term_set("Dans quel cas le logement est-il remboursé pour une ville de 300 000 habitants ?")
    passage = term_set(
        "Les frais d'hébergement sont remboursés : 120 euros dans les villes de plus de 200 000 habitants."
    )
    held = coverage(question, passage, weights(question, [passage]))

    assert "cas" not in question
    assert held > 0.8  # « 300 » and « 000 », the asker's own, barely count
    assert coverage(question, set(), weights(question, [passage])) == 0.0


def test_words_of_one_root_meet_and_unrelated_ones_do_not():
    assert matches(term_set("urgent").pop(), term_set("en cas d'urgence"))
    assert not matches(term_set("congé").pop(), term_set("congrès"))


def test_full_text_search_also_looks_for_the_thesaurus_words():
    assert set(expansion("Je suis malade").split()) >= {"maladie"}
    assert "hotel" in expansion("Quel plafond pour le logement ?").split()
    assert expansion("Où est la badgeuse ?") == ""  # a word of no concept


def test_forms_of_etre_avoir_and_light_verbs_in_any_person_are_not_topic():
    assert term_set("Touchons-nous deux fois la prime ?") == {"deux", term_set("prime").pop()}
    assert term_set("Ai-je droit aux prestations ?") == term_set("prestations")
    assert term_set("Serai-je remboursé si j'étais malade ?") == term_set("remboursé malade")
    assert term_set("le droit d'option") == term_set("droit option")  # a right named stays a topic


def test_working_from_home_is_telework_and_home_alone_is_the_home():
    assert term_set("Je bosse de chez moi deux jours") == term_set("deux jours de télétravail")
    assert term_set("Un écran pour travailler chez moi ?") == term_set("écran télétravail")
    assert term_set("Un accident en rentrant chez moi") == term_set("accident de trajet, domicile")
    assert term_set("le montant annuel de l'indemnité") == term_set("indemnité par an")


def test_everyday_words_meet_the_administrative_ones():
    # « pas reconnu » is the texts' « refus »; « reconnu » alone stays itself.
    assert term_set("Mon accident n'a pas été reconnu") == term_set("refus de l'accident")
    assert term_set("L'accident est reconnu") == term_set("accident reconnu")
    # A congress in a city abroad is a mission « à l'étranger »; a French city is not.
    assert term_set("un congrès à Montréal") == term_set("un colloque à l'étranger")
    assert "etrang" not in term_set("un congrès à Lyon")
    assert term_set("je me pique avec une aiguille") == term_set("piqûre")
    assert term_set("le VPN") == term_set("problème informatique") - term_set("problème")
    assert term_set("suis-je couverte ?") == term_set("la protection")


def test_a_follow_up_must_find_its_topic_not_the_figure_or_the_place_it_asks():
    assert follow_up_topic("Et pour la cantine ?") == term_set("cantine")
    assert follow_up_topic("Jusqu'à quel âge ?") == set()  # the previous topic's age limit
    assert follow_up_topic("Et à Lyon ?") == set()  # the previous rule, for a city it does not name


def test_words_that_stem_alike_but_mean_otherwise():
    assert "conjoint" not in term_set("avant le 31 mars")  # « mars » stems as « mari »
    assert "conjoint" in term_set("Mon mari et moi travaillons au CHRU")
    assert term_set("les vacances d'été") == term_set("les congés estivaux")  # « été »: a stop word
    assert term_set("combien serai-je payée ?") == term_set("la rémunération")
    assert term_set("est-ce trop tard ?") == term_set("en retard")
    assert term_set("Combien de temps à l'avance ?") == set()
    assert term_set("poser ses congés") == term_set("congés")
    assert term_set("trois semaines d'affilée") == term_set("trois semaines consécutives")


def test_staff_words_for_the_texts_terms():
    assert term_set("jours de parking") == term_set("jours de stationnement")
    assert term_set("un jour pour réviser") == term_set("un jour de préparation")
    assert term_set("la période d'essai") == term_set("la période d'adaptation")
    assert term_set("Dois-je déclarer ces aides aux impôts ?") == term_set("prestations imposables")
    assert term_set("déclarer un accident") == term_set("la déclaration d'accident")  # not about tax
    assert term_set("Qui le décide ?") >= term_set("autoriser")
    assert term_set("dans la même ville") == term_set("dans la même commune")
    assert term_set("je reprends") == term_set("la reprise")
    assert term_set("qui dois-je prévenir ?") == term_set("le cadre est prévenu") - term_set("cadre")
    assert term_set("un bonus") == term_set("un jour supplémentaire") - term_set("jour")


def test_time_and_connectives_staff_use():
    assert "horair" in term_set("si l'accident arrive la nuit")
    assert "horair" in term_set("en dehors des heures ouvrables")
    assert "horair" not in term_set("une nuit d'hôtel")
    assert term_set("mes congés de l'an dernier") == term_set("congés reportés à l'année")
    assert term_set("suite à mon accident") == term_set("accident")
    assert term_set("au bout de trois semaines") == term_set("trois semaines")
    assert term_set("télétravailler chez mes parents") == term_set("télétravail dans un autre lieu privé")


def test_staff_abbreviations_and_everyday_phrasings():
    assert term_set("mes heures sup") == term_set("mes heures supplémentaires")
    assert term_set("mon ado part en colo") >= term_set("enfant séjour")
    assert term_set("pour éviter que ça recommence") == term_set("la prévention")


def test_a_title_number_is_not_an_acronym():
    # « IV » would be the initials of « identité visa »: a passport question met « Titre IV ».
    title = "Titre IV — Avances et remboursement"
    assert with_acronyms("Des photos d'identité pour mon visa ?", title, term_set(title)) == term_set(title)
    note = "Le CET est alimenté chaque année"
    assert term_set("compte épargne-temps") <= with_acronyms("mon compte épargne-temps", note, term_set(note))


def test_late_in_the_evening_meets_a_clock_time_not_a_duration():
    assert "horair" in term_set("si je rentre tard le soir")
    assert "horair" in term_set("le taxi, entre 21 heures et 7 heures")
    assert "horair" not in term_set("prévenir le cadre dans les 24 heures")
    assert "horair" not in term_set("au plus tard le 31 mars")  # a deadline, not a late hour


def test_the_sentence_is_chosen_for_the_asked_word_not_the_collections_topic():
    question = "Après un accident du travail, sous combien de temps dois-je voir un médecin ?"
    parts = [
        "L'agent consulte un médecin de son choix, le jour même ou au plus tard le lendemain.",
        "L'agent remplit la déclaration d'accident, rubrique « Santé au travail », dans les 15 jours.",
    ]
    found = [  # every passage of an accident procedure speaks of « accident »; one of « médecin »
        {"text": parts[0] + " " + parts[1]},
        {"text": "Un accident de trajet est reconnu sur le parcours habituel."},
        {"text": "Tout accident avec arrêt fait l'objet d'une analyse."},
    ]

    assert term_set("un accident du travail") == term_set("un accident")
    assert best_sentence_for(question, parts, prior=collection_weights(question, "", found)) == 0


def test_a_passage_cut_at_a_page_break_shows_it_is_cut():
    # A PDF page ends mid-sentence; its chunk stops there (a chunk never crosses its locator).
    end_of_page = "Le train est la règle. Un billet acheté directement par l'agent"
    next_page = "n'est remboursé que si le bureau des missions n'a pas pu le fournir."

    shown, quote = excerpt(end_of_page, "Un billet acheté par l'agent est-il remboursé ?")
    assert shown.endswith("par l'agent …")
    assert quote == "Un billet acheté directement par l'agent"  # still verbatim at its page
    assert excerpt(next_page, "remboursé si le bureau des missions")[0].startswith("… n'est remboursé")
    assert excerpt("Le repas est remboursé.", "repas remboursé")[0] == "Le repas est remboursé."


def test_a_table_answer_is_the_row_asked_never_the_header_alone():
    parts = [
        "Prestation | Jusqu'à 12 000 € | Au-delà de 12 000 € | Justificatif",
        "Garde d'un enfant (par mois) | 80 € | 30 € | attestation de la crèche",
        "Naissance ou adoption | 400 € | 400 € | acte de naissance",
    ]

    assert best_sentence_for("Quel justificatif pour une naissance ?", parts) == 2
    assert best_sentence_for("Combien pour la garde avec un quotient de 15 000 € ?", parts) == 1


def test_a_third_passage_is_shown_only_when_it_holds_most_of_the_question_alone():
    def passage(name: str) -> Passage:
        return Passage(document_id=name, title=name, url="", locator="page 1", text=name)

    scored = [(1.0, passage("a")), (0.5, passage("b")), (0.9, passage("c")), (0.8, passage("d"))]
    weak = [(1.0, passage("a")), (0.5, passage("b")), (0.45, passage("c"))]

    assert [p.title for p in shown_passages(scored)] == ["a", "b", "c"]
    assert [p.title for p in shown_passages(weak)] == ["a", "b"]


def test_the_askers_own_figure_picks_the_sentence_of_their_case():
    parts = [
        "Au plus deux jours par semaine à temps plein, un jour par semaine à temps partiel de 80 % ou moins.",
        "Les jours de télétravail par semaine ne peuvent pas être reportés d'une semaine sur l'autre.",
    ]

    assert best_sentence_for("Je travaille à 80 %, combien de jours de télétravail par semaine ?", parts) == 0


def test_the_kind_of_figure_asked_does_not_pick_the_sentence_its_topic_does():
    # « durée » and « minimale » name what is asked; « paternité » says which rule: the sentence
    # that merely repeats « durée minimale » is the maternity leave's.
    parts = [
        "Le congé de maternité a une durée minimale de seize semaines.",
        "Il peut être prolongé sur prescription médicale.",
        "Le congé de paternité est de vingt-cinq jours calendaires.",
    ]
    assert best_sentence_for("Quelle est la durée minimale du congé de paternité ?", parts) == 2
    assert best_sentence_for("Quelle durée minimale pour le congé de maternité ?", parts) == 0


def test_only_the_kind_of_figure_the_question_names_weighs_less():
    def lowered(question: str) -> set[str]:
        weight = without_asked_kind(question, dict.fromkeys(term_set(question), 1.0))
        return {term for term, value in weight.items() if value < 1.0}

    assert lowered("Jusqu'à quelle date puis-je demander une prestation ?") == term_set("date")
    assert lowered("Quel est le plafond d'une nuitée ?") == term_set("plafond")
    # « au maximum » qualifies the duration asked; it is the text's « dans la limite de », kept whole.
    assert lowered("Pendant combien de temps le parking est-il remboursé au maximum ?") == set()


def test_brought_to_the_agents_knowledge_is_communicated_to_them():
    text = term_set("Le tableau est porté à la connaissance des agents au moins un mois avant.")
    question = term_set("Quand le tableau doit-il m'être communiqué ?")
    assert all(matches(term, text) for term in question)
    assert matches(next(iter(term_set("transmettre"))), term_set("Il adresse sa demande au service."))


def test_kilometres_meet_their_abbreviation():
    question = term_set("J'habite à 70 km du site, ai-je droit à l'aide ?")
    passage = term_set("L'aide est versée au-delà de 50 kilomètres entre le domicile et le site.")
    assert matches(next(iter(term_set("km"))), passage)
    assert coverage(question, passage, weights(question, [passage])) > 0.5
