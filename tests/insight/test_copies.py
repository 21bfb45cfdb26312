"""Copies and campaigns found in small sets of comments with known answers."""

from __future__ import annotations

import pandas as pd

from consult.insight.copies import differences, find_copies
from consult.insight.text import normalise, words

LETTER = (
    "Pedimos que la estrategia nacional de inteligencia artificial garantice conectividad "
    "de banda ancha en todas las comunidades rurales antes de financiar proyectos "
    "piloto en Lima, porque sin internet no hay inclusión digital posible."
)

TEMPLATE = (
    "Como integrantes de la Red Ciudadana por los Datos Abiertos exigimos que todas las "
    "entidades públicas publiquen sus registros administrativos en formatos abiertos y "
    "reutilizables. Pedimos además que la Autoridad de Protección de Datos Personales "
    "supervise cada sistema de inteligencia artificial que use datos de ciudadanos. "
    "Sin transparencia no habrá confianza en la estrategia."
)


def frame(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"id": range(1, len(texts) + 1), "text": list(texts)})


def test_normalising_sets_case_accents_spacing_and_punctuation_aside():
    text = "  ¡Inteligencia   ARTIFICIAL, año 2021! "
    assert normalise(text) == "inteligencia artificial ano 2021"
    assert words("Información; ética.") == ["informacion", "etica"]


def test_exact_copies_differ_only_in_case_accents_and_punctuation():
    copy = LETTER.upper().replace(",", "").replace("inclusión", "inclusion")
    [cluster] = find_copies(frame(LETTER, copy, TEMPLATE))
    assert cluster.kind == "exact"
    assert set(cluster.members) == {1, 2}
    assert cluster.similarity == {1: 1.0, 2: 1.0}


def test_two_copies_with_one_word_changed_fall_in_one_cluster():
    copy = LETTER.replace("rurales", "campesinas")
    [cluster] = find_copies(frame(LETTER, copy))
    assert cluster.kind == "near"
    assert set(cluster.members) == {1, 2}
    assert cluster.representative in {1, 2}
    assert min(cluster.similarity.values()) >= 0.8


def test_two_different_comments_are_not_copies():
    assert find_copies(frame(LETTER, TEMPLATE)) == []


def test_a_threshold_of_one_keeps_only_exact_copies_apart_from_near_ones():
    copy = LETTER.replace("rurales", "campesinas")
    assert [c.kind for c in find_copies(frame(LETTER, copy), threshold=1.0)] != ["near"]


def test_a_template_letter_with_personal_lines_is_a_template_campaign():
    first = "Soy madre de dos niños en Puno y lo vivo cada día. " + TEMPLATE
    second = (
        TEMPLATE + " Trabajo como enfermera en el hospital regional de Ica y veo cómo se "
        "pierden historias clínicas por falta de sistemas. Firmado: Rosa Quispe, Ica."
    )
    third = "Escribo desde Loreto, donde casi no hay señal. " + TEMPLATE.replace(
        "exigimos", "pedimos"
    )
    clusters = find_copies(frame(first, LETTER, second, third))
    assert len(clusters) == 1
    assert clusters[0].kind == "template"
    assert set(clusters[0].members) == {1, 3, 4}


def test_a_short_common_phrase_is_not_a_campaign():
    assert find_copies(frame("De acuerdo.", "de acuerdo", "DE ACUERDO")) == []


def test_no_chain_joins_distinct_comments_through_small_steps():
    # Each text differs from the next by a few words; the first and the last share little.
    base = LETTER.split()
    steps = [list(base)]
    for i in range(0, len(base), 3):
        step = list(steps[-1])
        step[i] = f"palabra{i}"
        steps.append(step)
    texts = [" ".join(s) for s in steps]
    clusters = find_copies(frame(*texts), template_share=0.95)
    for cluster in clusters:
        ids = sorted(cluster.members)
        first, last = words(texts[ids[0] - 1]), words(texts[ids[-1] - 1])
        assert len(set(first) & set(last)) / len(set(first) | set(last)) >= 0.6


def test_differences_mark_added_and_removed_words():
    pieces = differences("Pedimos conectividad rural ya.", "Pedimos CONECTIVIDAD urbana ya. Rosa")
    assert pieces == [
        ("equal", "Pedimos CONECTIVIDAD"),
        ("delete", "rural"),
        ("insert", "urbana"),
        ("equal", "ya."),
        ("insert", "Rosa"),
    ]


SHORT_LETTER = (
    "Como docentes de la red de escuelas rurales pedimos que la estrategia incluya un "
    "programa nacional de formación en inteligencia artificial para profesores de "
    "colegios públicos, con materiales en quechua y aimara y horas reconocidas en la carrera."
)
ADDED = ["Es muy importante para mi comunidad.", "Lo vivo todos los días.", "Gracias."]


def test_a_short_letter_copied_with_a_typo_a_sentence_and_a_signature_is_one_campaign():
    assert len(SHORT_LETTER.split()) == 38
    letter = SHORT_LETTER.split()
    copies = []
    for n in range(10):
        words = list(letter)
        i = (n * 7 + 3) % len(words)  # a different word each time
        words[i] = words[i][:-1] if len(words[i]) > 3 else words[i] + "s"
        signature = ["Atentamente, María", "Saludos, José", "Firma: Rosa"][n % 3]
        copies.append(f"{' '.join(words)} {ADDED[n % 3]} {signature} {n}")
    clusters = find_copies(frame(*copies, LETTER, TEMPLATE))
    assert len(clusters) == 1
    assert set(clusters[0].members) == set(range(1, 11))


def test_copies_that_share_the_letter_but_too_little_with_each_other_are_one_campaign():
    # Each copy of a 30-word letter has its own typo, its own sentence slipped in and its
    # own signature: two copies may share under 60 % of the shorter, each shares most of
    # the letter they all hold.
    text = (
        "Pedimos que la Red Dorsal de Fibra Óptica llegue a todas las capitales de provincia "
        "antes de 2026 y que los centros de datos públicos se instalen también en regiones."
    )
    letter = text.split(" ")
    added = [
        "Es muy importante para mi comunidad.", "Lo vivo todos los días.",
        "Gracias por leer.", "Mi hija no tiene señal.", "En mi pueblo esperamos hace años.",
        "Ya es hora.", "Confío en ustedes.", "Somos muchos los que pensamos así.",
        "No nos olviden.", "Por favor.",
    ]  # fmt: skip
    signatures = [
        "Atentamente, María", "Saludos, José", "Firma: Rosa", "Luis Mamani", "Carmen",
        "Jorge, de Puno", "Ana Torres", "Pedro R.", "Julia", "Raúl Condori",
    ]  # fmt: skip
    copies = []
    for n in range(10):
        words = list(letter)
        i = (n * 7 + 2) % len(words)
        words[i] = words[i][:-1] if len(words[i]) > 3 else words[i] + "s"
        place = [6, 12, 18, 24, 9][n % 5]
        words[place:place] = added[n].split()
        copies.append(f"{' '.join(words)} {signatures[n]}")
    clusters = find_copies(frame(*copies, LETTER, TEMPLATE))
    assert len(clusters) == 1
    assert set(clusters[0].members) == set(range(1, 11))
