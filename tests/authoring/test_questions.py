"""Questions written in the console: every type, on a section or the whole draft; options
with codes; the rules that protect answers; moving; deleting; each change audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.models import AuditEntry, Question, TextRevision
from consult.models.vocab import QuestionType, Stage
from tests.conftest import post_form
from tests.factories import make_response

SLUG = "enia-2021"
BASE = f"/console/c/{SLUG}/edit/questions"


def question(key: str) -> Question | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Question).filter_by(key=key))


def options_form(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = {}
    for i, (code, es, en) in enumerate(rows):
        data |= {f"options-{i}-code": code, f"options-{i}-es": es, f"options-{i}-en": en}
    return data


CHOICES = options_form(("si", "Sí", "Yes"), ("no", "No", "No"), ("nose", "No sé", "Not sure"))


@pytest.fixture
def preparing(enia):
    enia.stage = Stage.PREPARATION
    db.session.commit()
    return enia


@pytest.mark.parametrize("kind", [t.value for t in QuestionType])
def test_every_type_can_be_added(admin_client, preparing, kind):
    data = {
        "type": kind,
        "section": "5-3",
        "prompt_es": f"Pregunta de tipo {kind}",
        "prompt_en": f"A {kind} question",
        "help_es": "Ayuda",
        "help_en": "Help",
        "required": "y",
        **(CHOICES if QuestionType(kind).has_options else {}),
    }
    reply = post_form(admin_client, f"{BASE}/new", data)
    assert reply.status_code == 302, reply.get_data(as_text=True)
    added = db.session.scalars(sa.select(Question).order_by(Question.id.desc())).first()
    assert added.type.value == kind and added.required and added.section.key == "5-3"
    assert added.key == f"pregunta-de-tipo-{kind.replace('_', '-')}"
    if QuestionType(kind).has_options:
        assert added.option_codes() == ["si", "no", "nose"]
        assert added.options[2] == {"code": "nose", "es": "No sé", "en": "Not sure"}
    else:
        assert added.options == []
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="question.create"))
    assert entry.after["type"] == kind
    # The editor's list shows it with its type.
    listed = admin_client.get(BASE).get_data(as_text=True)
    assert f'id="question-{added.key}"' in listed


def test_a_question_on_the_whole_draft(admin_client, preparing):
    data = {"type": "long_text", "section": "", "prompt_es": "¿Algo más?", "key": "q-final"}
    assert post_form(admin_client, f"{BASE}/new", data).status_code == 302
    assert question("q-final").section_id is None


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"type": "single_choice", "prompt_es": "¿?", **options_form(("a", "A", "A"))},
            "dos o más",
        ),
        (
            {
                "type": "ranking",
                "prompt_es": "¿?",
                **options_form(("a", "A", "A"), ("a", "B", "B")),
            },
            "mismo código",
        ),
        (
            {
                "type": "multiple_choice",
                "prompt_es": "¿?",
                **options_form(("A B", "A", "A"), ("b", "B", "B")),
            },
            "code",
        ),
        ({"type": "riddle", "prompt_es": "¿?"}, "type"),
        ({"type": "likert", "prompt_es": ""}, "Escriba la pregunta"),
        ({"type": "likert", "prompt_es": "¿?", "section": "nowhere"}, "section"),
    ],
)
def test_a_bad_question_is_refused_with_its_reason(admin_client, preparing, data, message):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Question))
    reply = post_form(admin_client, f"{BASE}/new", data)
    assert reply.status_code == 422
    assert message in reply.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == before


def answered_choice(enia) -> Question:
    """A single-choice question on 5.3 that one response answered "si"."""
    q = Question(
        consultation_id=enia.id,
        section_id=next(s.id for s in enia.sections if s.key == "5-3"),
        key="q-choice",
        position=99,
        type=QuestionType.SINGLE_CHOICE,
        prompt_es="¿Elige?",
        prompt_en="Choose?",
        options=[{"code": "si", "es": "Sí", "en": "Yes"}, {"code": "no", "es": "No", "en": "No"}],
    )
    db.session.add(q)
    db.session.commit()
    make_response(enia, answers={"q-choice": "si"})
    return q


def edit(**changes) -> dict[str, str]:
    base = {
        "type": "single_choice",
        "section": "5-3",
        "prompt_es": "¿Elige?",
        "prompt_en": "Choose?",
        **options_form(("si", "Sí", "Yes"), ("no", "No", "No")),
    }
    return {**base, **changes}


def test_once_answered_type_and_codes_stay_but_wording_may_change(admin_client, enia):
    answered_choice(enia)
    url = f"{BASE}/q-choice"
    page = admin_client.get(url).get_data(as_text=True)
    assert "no pueden cambiar" in page
    refused = post_form(admin_client, url, edit(type="multiple_choice"))
    assert refused.status_code == 422 and "su tipo no puede" in refused.get_data(as_text=True)
    renamed = post_form(
        admin_client, url, edit(**options_form(("yes", "Sí", "Yes"), ("no", "No", "No")))
    )
    assert renamed.status_code == 422
    assert "si deben quedarse" in renamed.get_data(as_text=True)
    moved = post_form(admin_client, url, edit(section="5-4"))
    assert moved.status_code == 422
    assert question("q-choice").option_codes() == ["si", "no"]
    assert question("q-choice").type is QuestionType.SINGLE_CHOICE

    reworded = post_form(
        admin_client,
        url,
        edit(
            prompt_en="Which one?",
            **options_form(
                ("si", "Sí", "Yes, please"), ("no", "No", "No"), ("tal-vez", "Tal vez", "Maybe")
            ),
        ),
    )
    assert reworded.status_code == 302
    q = question("q-choice")
    assert q.prompt_en == "Which one?" and q.options[0]["en"] == "Yes, please"
    assert q.option_codes() == ["si", "no", "tal-vez"]
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="question.update"))
    assert entry.before["prompt_en"] == "Choose?" and entry.after["prompt_en"] == "Which one?"
    # The consultation is open: the edit is kept as a revision of the question's texts.
    (revision,) = db.session.scalars(sa.select(TextRevision)).all()
    assert revision.target == "question" and set(revision.after) == {"prompt_en", "options"}
    page = admin_client.get(f"/c/{SLUG}/s/5-3?lang=en").get_data(as_text=True)
    assert "Last changed on" in page


def test_an_answered_question_is_not_deleted(admin_client, enia):
    answered_choice(enia)
    page = admin_client.get(f"{BASE}/q-choice/delete").get_data(as_text=True)
    assert "No puede eliminarse" in page
    reply = post_form(
        admin_client, f"{BASE}/q-choice/delete", {}, form_url=f"{BASE}/q-5-4-agree/delete"
    )
    assert reply.status_code == 409 and question("q-choice") is not None


def test_an_unanswered_question_is_deleted_and_audited(admin_client, enia):
    assert post_form(admin_client, f"{BASE}/q-5-4-agree/delete", {}).status_code == 302
    assert question("q-5-4-agree") is None
    entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="question.delete"))
    assert entry.before["key"] == "q-5-4-agree"


def test_moving_a_question_within_its_page(admin_client, enia):
    def keys():
        db.session.expire_all()
        return [
            q.key
            for q in db.session.scalars(
                sa.select(Question)
                .join(Question.section)
                .where(Question.section.has(key="5-3"))
                .order_by(Question.position)
            )
        ]

    assert keys() == ["q-5-3-agree", "q-5-3-change"]
    assert (
        post_form(
            admin_client, f"{BASE}/q-5-3-change/move", {"to": "up"}, form_url=BASE
        ).status_code
        == 302
    )
    assert keys() == ["q-5-3-change", "q-5-3-agree"]
    assert (
        post_form(
            admin_client, f"{BASE}/q-5-3-change/move", {"to": "up"}, form_url=BASE
        ).status_code
        == 302
    )
    assert keys() == ["q-5-3-change", "q-5-3-agree"]
    assert (
        post_form(admin_client, f"{BASE}/q-5-3-change/move", {}, form_url=BASE).status_code == 400
    )


def test_only_editors_write_questions(coordinator_client, enia):
    assert coordinator_client.get(BASE).status_code == 403
    assert coordinator_client.get(f"{BASE}/q-5-3-agree").status_code == 403
