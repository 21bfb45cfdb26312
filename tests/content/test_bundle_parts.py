"""A bundle's optional parts: comment boxes, gated sections and contribution choices."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.content import ContentError, load_bundle
from consult.extensions import db
from consult.models import Comment, Consultation, Section
from tests.content.test_bundles import copy_bundle, edit_yaml
from tests.factories import make_response

ENIA_CODES = ["problem_definition", "objective_formulation", "other"]


def _consultation(slug: str = "small-test") -> Consultation:
    db.session.expire_all()
    return db.session.scalar(sa.select(Consultation).filter_by(slug=slug))


def _section(key: str) -> Section:
    return next(s for s in _consultation().sections if s.key == key)


def test_the_shipped_draft_asks_its_three_contributions(app):
    load_bundle("enia-2021")
    enia = _consultation("enia-2021")
    assert [c["code"] for c in enia.contributions] == ENIA_CODES
    assert enia.contribution_choices("es")[1] == (
        "objective_formulation",
        "Formulación de objetivos de política",
    )
    assert enia.contribution_label("other", "en") == "Other"
    assert all(s.comments_enabled and not s.gated for s in enia.sections)


def test_a_section_can_close_its_comment_box_and_ask_first(app, tmp_path):
    bundle = copy_bundle(tmp_path)

    def change(section: dict) -> None:
        section["comments"] = False
        section["gate"] = {"es": "¿Desea responder?", "en": "Do you want to answer?"}

    edit_yaml(bundle / "sections" / "02-two.yaml", change)
    load_bundle(bundle)

    two, one = _section("two"), _section("one")
    assert (two.comments_enabled, two.gated, two.gate_es) == (False, True, "¿Desea responder?")
    assert (one.comments_enabled, one.gated) == (True, False)

    # Taken back out of the bundle: the box is back and the gate gone.
    edit_yaml(bundle / "sections" / "02-two.yaml", lambda s: [s.pop("comments"), s.pop("gate")])
    report = load_bundle(bundle)
    assert "section two" in report.updated
    assert (_section("two").comments_enabled, _section("two").gated) == (True, False)


def test_without_contributions_none_is_asked(app, tmp_path):
    bundle = copy_bundle(tmp_path)
    edit_yaml(bundle / "consultation.yaml", lambda meta: meta.pop("contributions"))
    load_bundle(bundle)
    assert _consultation().contributions == []
    assert _consultation().contribution_choices("es") == []


def test_a_reload_may_relabel_a_contribution_but_not_drop_one_in_use(app, tmp_path):
    bundle = copy_bundle(tmp_path)
    load_bundle(bundle)
    assert [c["code"] for c in _consultation().contributions] == ENIA_CODES
    make_response(_consultation(), {"section": "one", "text": "x", "contribution": "other"})

    def relabel(meta: dict) -> None:
        meta["contributions"][2]["es"] = "Otra cosa"

    edit_yaml(bundle / "consultation.yaml", relabel)
    report = load_bundle(bundle)
    assert report.updated == ["contributions of small-test"]
    assert _consultation().contribution_label("other", "es") == "Otra cosa"

    # Unused codes may go; a code a stored comment uses may not.
    edit_yaml(bundle / "consultation.yaml", lambda meta: meta["contributions"].pop(0))
    load_bundle(bundle)
    assert [c["code"] for c in _consultation().contributions] == ENIA_CODES[1:]
    edit_yaml(bundle / "consultation.yaml", lambda meta: meta.pop("contributions"))
    with pytest.raises(
        ContentError, match="contributions objective_formulation, other: .* 1 answer"
    ):
        load_bundle(bundle)
    assert [c["code"] for c in _consultation().contributions] == ENIA_CODES[1:]
    assert db.session.scalar(sa.select(Comment.contribution)) == "other"


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        ("sections/01-one.yaml", lambda s: s.update(comments="no"), "comments: true"),
        ("sections/01-one.yaml", lambda s: s.update(gate="¿Responde?"), "gate: expected"),
        ("sections/01-one.yaml", lambda s: s.update(gate={"es": "¿Sí?"}), "gate.en: text"),
        (
            "consultation.yaml",
            lambda m: m.update(contributions=[{"code": "a", "es": "A", "en": "A"}]),
            "2 or more",
        ),
        (
            "consultation.yaml",
            lambda m: m["contributions"].append({"code": "other", "es": "O", "en": "O"}),
            "codes repeat",
        ),
        (
            "consultation.yaml",
            lambda m: m["contributions"].append({"code": "Bad Code", "es": "O", "en": "O"}),
            "not a valid key",
        ),
    ],
)
def test_a_bad_optional_part_is_refused_with_where_and_why(app, tmp_path, file, change, message):
    bundle = copy_bundle(tmp_path)
    edit_yaml(bundle / file, change)
    with pytest.raises(ContentError, match=message):
        load_bundle(bundle)
    assert _consultation() is None
