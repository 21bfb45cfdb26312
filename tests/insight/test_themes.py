"""Suggested themes from comments whose topics are known, and the words they are built on."""

from __future__ import annotations

import random

import pytest

from consult.insight import lemmas, themes

TOPICS = {
    "salud": [
        "los hospitales rurales necesitan diagnóstico remoto para sus pacientes",
        "los médicos de las postas deben recibir imágenes de diagnóstico a distancia",
        "la telemedicina ayudaría a los pacientes de hospitales lejanos",
        "el diagnóstico de los pacientes en postas rurales tarda semanas",
        "las historias clínicas de los pacientes deberían ser digitales en cada hospital",
        "un médico especialista podría atender por video a pacientes de la selva",
        "las enfermeras de las postas necesitan herramientas para el diagnóstico temprano",
        "los hospitales públicos pierden citas médicas por falta de sistemas",
    ],
    "escuelas": [
        "los docentes de colegios públicos deben aprender programación",
        "las escuelas necesitan profesores capacitados en programación y robótica",
        "el currículo escolar debe enseñar programación desde primaria",
        "los alumnos de colegios públicos no tienen profesores de robótica",
        "cada colegio debería tener un laboratorio de robótica para sus alumnos",
        "los profesores necesitan cursos gratuitos de programación",
        "los alumnos de secundaria podrían competir en olimpiadas de programación",
        "las escuelas rurales no tienen docentes de computación",
    ],
    "internet": [
        "la conectividad de banda ancha no llega a los pueblos de la sierra",
        "sin internet de banda ancha los pueblos quedan fuera de todo",
        "las antenas de fibra óptica deben llegar a los pueblos alejados",
        "la cobertura de internet móvil en la sierra es muy mala",
        "el precio de la banda ancha es muy alto para las familias de los pueblos",
        "la red dorsal de fibra óptica está subutilizada en la sierra",
        "las operadoras deben ampliar la cobertura de internet a las comunidades",
        "muchos pueblos solo tienen señal de internet en la plaza",
    ],
}


def clear_topics(per_topic: int = 10, seed: int = 1) -> tuple[list[str], list[str]]:
    """Comments on three topics, each two different sentences of its topic."""
    rng = random.Random(seed)
    rows = []
    for topic, sentences in TOPICS.items():
        pairs = [(a, b) for i, a in enumerate(sentences) for b in sentences[i + 1 :]]
        for a, b in rng.sample(pairs, per_topic):
            rows.append((f"{a.capitalize()}. Además, {b}.", topic))
    rng.shuffle(rows)
    return [t for t, _ in rows], [topic for _, topic in rows]


def test_language_of_spanish_and_english_comments():
    assert lemmas.language("Los pueblos de la sierra no tienen internet de banda ancha") == "es"
    assert lemmas.language("The villages in the mountains have no broadband at all") == "en"
    assert lemmas.language("Conectividad") == "es"  # unclear: simplemma decides


def test_lemmas_leave_out_stop_words_and_bring_words_to_their_base_form():
    assert lemmas.lemmas("Los hospitales necesitan médicos", "es") == [
        "hospital",
        "necesitar",
        "médico",
    ]
    assert lemmas.lemmas("The hospitals were closed", "en") == ["hospital", "close"]


def test_three_clear_topics_give_three_suggestions_holding_their_comments():
    texts, topics = clear_topics()
    found = themes.suggest(texts)
    assert len(found.suggestions) == 3
    for suggestion in found.suggestions:
        held = {topics[i] for i, _ in suggestion.members}
        assert len(held) == 1, suggestion.label
        assert suggestion.size == 10
        assert suggestion.label and suggestion.terms and suggestion.phrases
    labels = {" ".join(s.terms) for s in found.suggestions}
    assert any("paciente" in t for t in labels) and any("banda" in t for t in labels)


def test_the_same_comments_give_the_same_suggestions():
    texts, _ = clear_topics()
    first, second = themes.suggest(texts), themes.suggest(texts)
    assert [s.members for s in first.suggestions] == [s.members for s in second.suggestions]
    assert [s.label for s in first.suggestions] == [s.label for s in second.suggestions]


def test_quotes_come_from_different_respondents():
    texts, _ = clear_topics()
    respondents = [i // 2 for i in range(len(texts))]  # two comments per person
    for suggestion in themes.suggest(texts, respondents).suggestions:
        assert 3 <= len(suggestion.quotes) <= 5
        authors = [respondents[i] for i in suggestion.quotes]
        assert len(set(authors)) == len(authors)
        assert set(suggestion.quotes) <= {i for i, _ in suggestion.members}


def test_at_most_max_themes():
    texts, _ = clear_topics()
    assert len(themes.suggest(texts, max_themes=2).suggestions) <= 2


@pytest.mark.parametrize("count", [0, 1, 5])
def test_tiny_inputs_give_at_most_one_suggestion(count):
    texts, _ = clear_topics()
    found = themes.suggest(texts[:count])
    assert len(found.suggestions) <= 1
    assert len(found.assignment) == count


def test_comments_without_words_give_nothing():
    assert themes.suggest(["", "!!!", "de la que"]).suggestions == []


def test_split_makes_two_of_a_mixed_theme():
    texts, topics = clear_topics()
    mixed = [(t, topic) for t, topic in zip(texts, topics, strict=True) if topic != "internet"]
    halves = themes.split([t for t, _ in mixed]).suggestions
    assert len(halves) == 2
    for half in halves:
        assert len({mixed[i][1] for i, _ in half.members}) == 1


def test_two_word_phrases_stay_within_a_sentence():
    (document,) = lemmas.lemmatised(["Talento en inteligencia artificial. Peruanos que vuelvan."])
    terms = themes._terms(document)
    assert "inteligencia artificial" in terms and "peruano volver" in terms
    assert "artificial peruano" not in terms


def test_labels_terms_and_phrases_are_words_people_wrote():
    texts, _ = clear_topics()
    written = {w for t in texts for w in lemmas.words(t)}
    joined = " ".join(" ".join(lemmas.words(t)) for t in texts)
    found = themes.suggest(texts).suggestions
    labels = [s.label for s in found]
    for suggestion in found:
        for part in suggestion.label.lower().split(", "):
            assert part in joined, suggestion.label  # a run of words from the comments
        assert set(suggestion.terms) <= written
        assert all(p in joined for p in suggestion.phrases)
    assert any("pacientes" in label for label in labels), labels  # not "paciente"
    assert not any("hospital " in label or "dato " in label for label in labels)


def test_a_phrase_is_shown_as_the_words_between_its_lemmas():
    texts = ["Hay que capacitar a los docentes.", "Capacitar a los docentes rurales."]
    wording = themes.Wording(texts, [("capacitar", "docente"), ("dato", "personal")])
    assert wording.phrase("capacitar docente") == "capacitar a los docentes"
    assert wording.word("docente") == "docentes"
    more = themes.Wording(["Los datos personales.", "Sus datos personales"], [("dato", "personal")])
    assert more.phrase("dato personal") == "datos personales"
    label = themes.label_of([], ["dato personal", "uso dato", "capacitar docente"], more.span)
    assert label == "Datos personales, capacitar docente"  # no word twice; lemmas if unseen
    run = ("uso", "dato", "personal")
    both = themes.Wording(["Regular el uso de datos personales."], [run])
    assert themes.label_of([], ["dato personal", "uso dato"], both.span) == (
        "Uso de datos personales"  # overlapping phrases, written as one run
    )


def test_a_theme_is_known_again_whatever_forms_of_its_words_were_shown():
    assert themes.signature(["datos", "personales", "hospitales"]) == themes.signature(
        ["dato", "personal", "hospital"]
    )
    assert themes.label_of(["red", "fibra", "antena"], []) == "Red · fibra · antena"
