"""Loading consultation bundles: the shipped draft, reloads that keep responses, bad bundles."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from consult.content import ContentError, load_bundle
from consult.extensions import db
from consult.models import Answer, AnswerChoice, Comment, Consultation, Question, Response, Section
from consult.models.columns import utcnow
from consult.models.vocab import QuestionType
from consult.responding import CommentInput, save_answers
from consult.responding import start_response as start_draft
from tests.conftest import PROFILE_ACADEMIA, SMALL_BUNDLE, post_form

AREAS = [f"5-{n}" for n in range(1, 11)]
CONTENT_TABLES = (Consultation, Section, Question)


# ---------------------------------------------------------------- helpers


def copy_bundle(tmp_path: Path, source: Path = SMALL_BUNDLE, name: str = "bundle") -> Path:
    target = tmp_path / name
    shutil.copytree(source, target)
    return target


def edit_yaml(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """Rewrite one YAML file of a copied bundle, changed by ``change`` (which edits in place)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def open_window(bundle: Path) -> None:
    """Give a copied bundle a fixed window that includes now."""

    def change(meta: dict) -> None:
        meta["opens"] = datetime(2020, 1, 1)
        meta["closes"] = datetime(2099, 1, 1)

    edit_yaml(bundle / "consultation.yaml", change)


def rows(model: type, *where: Any) -> list[tuple]:
    """Every column of every row of a table, in id order."""
    table = model.__table__
    query = sa.select(table).where(*where).order_by(*table.primary_key.columns)
    return [tuple(r) for r in db.session.execute(query).all()]


def draft_rows() -> dict[str, list[tuple]]:
    """The draft strategy's own content rows."""
    enia_id = sa.select(Consultation.id).filter_by(slug="enia-2021").scalar_subquery()
    return {
        "consultation": rows(Consultation, Consultation.id == enia_id),
        "section": rows(Section, Section.consultation_id == enia_id),
        "question": rows(Question, Question.consultation_id == enia_id),
    }


def snapshot() -> dict[str, list[tuple]]:
    db.session.expire_all()
    models = (*CONTENT_TABLES, Response, Answer, AnswerChoice, Comment)
    return {m.__tablename__: rows(m) for m in models}


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def consultation(slug: str) -> Consultation:
    db.session.expire_all()
    return db.session.scalar(sa.select(Consultation).filter_by(slug=slug))


def section(slug: str, key: str) -> Section:
    return db.session.scalar(
        sa.select(Section).join(Consultation).where(Consultation.slug == slug, Section.key == key)
    )


def question(slug: str, key: str) -> Question:
    return db.session.scalar(
        sa.select(Question).join(Consultation).where(Consultation.slug == slug, Question.key == key)
    )


# ---------------------------------------------------------------- the shipped draft


def test_shipped_draft_loads_with_its_chapters_priority_areas_and_questions(app):
    before = utcnow()
    load_bundle("enia-2021")
    after = utcnow()
    enia = consultation("enia-2021")
    sections = {s.key: s for s in enia.sections}

    assert [s.key for s in enia.sections] == ["1", "2", "3", "4", "5", *AREAS, "6", "7"]
    for n, key in enumerate(AREAS, start=1):
        assert sections[key].parent is sections["5"]
        assert sections[key].number == f"5.{n}"
    assert [c.key for c in sections["5"].children] == AREAS
    for s in enia.sections:
        assert s.title_es.strip() and s.title_en.strip(), s.key
        assert "<p>" in s.body_html_es and "<p>" in s.body_html_en, s.key

    for key in AREAS:
        types = {q.type for q in sections[key].questions}
        assert {QuestionType.LIKERT, QuestionType.LONG_TEXT} <= types, key

    rankings = [q for q in enia.questions if q.type is QuestionType.RANKING]
    assert len(rankings) == 1
    assert sorted(rankings[0].option_codes()) == sorted(AREAS)
    general_types = {q.type for q in enia.general_questions}
    assert {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE} <= general_types

    # No window in the bundle: open from the first load, for the default number of days.
    assert before.replace(microsecond=0) <= enia.opens_at <= after
    assert enia.closes_at - enia.opens_at == timedelta(days=app.config["DEFAULT_WINDOW_DAYS"])
    assert enia.is_open


def test_loading_the_same_bundle_again_changes_nothing(app):
    assert load_bundle("enia-2021").changed
    # The consultation opened yesterday; a reload must keep the window it has.
    enia = consultation("enia-2021")
    enia.opens_at -= timedelta(days=1)
    enia.closes_at -= timedelta(days=1)
    db.session.commit()
    before = snapshot()
    window = (enia.opens_at, enia.closes_at)

    report = load_bundle("enia-2021")

    assert not report.changed
    assert (report.created, report.updated, report.deleted) == ([], [], [])
    assert snapshot() == before  # every column, updated_at included, of every row
    enia = consultation("enia-2021")
    assert (enia.opens_at, enia.closes_at) == window


def test_a_second_bundle_loads_beside_the_draft_and_may_reuse_keys(app, client, tmp_path):
    bundle = copy_bundle(tmp_path)
    edit_yaml(bundle / "sections" / "01-one.yaml", lambda s: s.update(key="5"))
    edit_yaml(bundle / "sections" / "02-two.yaml", lambda s: s.update(key="5-1", parent="5"))
    edit_yaml(bundle / "consultation.yaml", lambda m: m["questions"][0].update(key="q-overall-fit"))
    meta = yaml.safe_load((bundle / "consultation.yaml").read_text(encoding="utf-8"))
    load_bundle("enia-2021")
    enia_before = draft_rows()

    load_bundle(bundle)

    assert {c.slug for c in db.session.scalars(sa.select(Consultation))} == {
        "enia-2021",
        "small-test",
    }
    small = consultation("small-test")
    # Written without an offset: in the bundle's zone (Lima, five hours behind UTC).
    assert (small.opens_at, small.closes_at) == (
        meta["opens"] + timedelta(hours=5),
        meta["closes"] + timedelta(hours=5),
    )
    assert section("small-test", "5").title_en == "One"
    assert section("enia-2021", "5").title_en == "Priority areas"
    assert section("small-test", "5-1").parent.key == "5"
    assert question("small-test", "q-overall-fit").option_codes() == ["red", "blue"]
    assert "red" not in question("enia-2021", "q-overall-fit").option_codes()
    assert "Priority areas" in client.get("/c/enia-2021/s/5?lang=en").get_data(as_text=True)
    page = client.get("/c/small-test/s/5?lang=en").get_data(as_text=True)
    assert "Text one." in page and "Priority areas" not in page
    assert draft_rows() == enia_before  # the draft's own rows were left alone


# ---------------------------------------------------------------- reloading with responses


def test_editing_a_section_keeps_answers_and_comments_and_shows_the_new_text(
    app, client, start_response, tmp_path
):
    bundle = copy_bundle(tmp_path)
    open_window(bundle)
    load_bundle(bundle)
    response = start_response(consultation("small-test"))
    saved = post_form(
        client,
        "/c/small-test/s/one",
        {
            "q_must": "Mi respuesta obligatoria.",
            "comment": "Mi comentario sobre la sección uno.",
            "contribution": "problem_definition",
            "go": "next",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    one_id, must_id = section("small-test", "one").id, question("small-test", "must").id
    answer = db.session.scalar(sa.select(Answer).filter_by(response_id=response.id))
    comment = db.session.scalar(sa.select(Comment).filter_by(response_id=response.id))
    assert (answer.question_id, comment.section_id) == (must_id, one_id)

    def rewrite(s: dict) -> None:
        s["title"] = {"es": "Uno revisado", "en": "One, revised"}
        s["body"] = {"es": "Texto **nuevo** de la sección.\n", "en": "New section text.\n"}

    edit_yaml(bundle / "sections" / "01-one.yaml", rewrite)
    report = load_bundle(bundle)

    assert "section one" in report.updated
    assert not report.created and not report.deleted
    db.session.expire_all()
    assert section("small-test", "one").id == one_id
    assert question("small-test", "must").id == must_id
    answer = db.session.get(Answer, answer.id)
    comment = db.session.get(Comment, comment.id)
    assert (answer.question_id, answer.value) == (must_id, "Mi respuesta obligatoria.")
    assert (comment.section_id, comment.text) == (one_id, "Mi comentario sobre la sección uno.")

    page = client.get("/c/small-test/s/one").get_data(as_text=True)
    assert "Uno revisado" in page and "Texto <strong>nuevo</strong> de la sección." in page
    assert "Texto uno." not in page
    assert "Mi comentario sobre la sección uno." in page  # the person's draft is still there
    assert "New section text." in client.get("/c/small-test/s/one?lang=en").get_data(as_text=True)


def test_raw_html_in_markdown_is_not_rendered(app, client):
    load_bundle(SMALL_BUNDLE)
    source = (SMALL_BUNDLE / "sections" / "01-one.yaml").read_text(encoding="utf-8")
    assert "<script>" in source  # the fixture really carries the attack
    one = section("small-test", "one")
    for html in (one.body_html_es, one.body_html_en):
        assert "<script" not in html.lower()
    assert "Texto uno." in one.body_html_es
    page = client.get("/c/small-test/s/one").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


def _respond(bundle: Path, *, answers: dict[str, Any], comment_on: str | None) -> None:
    """A draft response, written through the same operations the public pages use."""
    load_bundle(bundle)
    small = consultation("small-test")
    response, _token = start_draft(small, PROFILE_ACADEMIA)
    questions = [q for q in small.questions if q.key in answers]
    save_answers(
        response,
        questions,
        answers,
        section=section("small-test", comment_on) if comment_on else None,
        comment=CommentInput("Un comentario.", "other") if comment_on else None,
    )


def _remove_section_two(bundle: Path) -> None:
    (bundle / "sections" / "02-two.yaml").unlink()


def _remove_question_must(bundle: Path) -> None:
    edit_yaml(bundle / "sections" / "01-one.yaml", lambda s: s.pop("questions"))


def _retype_question_must(bundle: Path) -> None:
    edit_yaml(
        bundle / "sections" / "01-one.yaml", lambda s: s["questions"][0].update(type="long_text")
    )


def _drop_option_red(bundle: Path) -> None:
    def change(meta: dict) -> None:
        meta["questions"][0]["options"] = [
            o for o in meta["questions"][0]["options"] if o["code"] != "red"
        ] + [{"code": "green", "es": "Verde", "en": "Green"}]

    edit_yaml(bundle / "consultation.yaml", change)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (_remove_section_two, "two"),
        (_remove_question_must, "must"),
        (_retype_question_must, "must"),
        (_drop_option_red, "red"),
    ],
    ids=[
        "section-with-comment",
        "question-with-answer",
        "type-of-answered-question",
        "chosen-option",
    ],
)
def test_a_reload_that_would_lose_answers_or_comments_is_refused_whole(
    app, tmp_path, change, named
):
    bundle = copy_bundle(tmp_path)
    open_window(bundle)
    _respond(bundle, answers={"must": "Respuesta.", "colour": "red"}, comment_on="two")
    before = snapshot()
    assert before["answer"] and before["comment"]

    change(bundle)
    # Other edits in the same bundle must not slip through either.
    edit_yaml(bundle / "consultation.yaml", lambda m: m["title"].update(es="Título nuevo"))
    edit_yaml(bundle / "sections" / "01-one.yaml", lambda s: s["body"].update(es="Otro texto.\n"))
    with pytest.raises(ContentError) as refused:
        load_bundle(bundle)

    assert named in str(refused.value)
    assert snapshot() == before
    assert consultation("small-test").title_es == "Consulta pequeña de prueba"
    assert "Texto uno." in section("small-test", "one").body_html_es


def test_a_reload_deletes_or_retypes_what_nobody_answered(app, tmp_path):
    bundle = copy_bundle(tmp_path)
    open_window(bundle)
    _respond(bundle, answers={}, comment_on="one")
    comments = rows(Comment)
    assert comments

    _remove_section_two(bundle)
    edit_yaml(bundle / "consultation.yaml", lambda m: m.pop("questions"))
    _retype_question_must(bundle)
    report = load_bundle(bundle)

    assert sorted(report.deleted) == ["question colour", "section two"]
    assert "question must" in report.updated
    assert section("small-test", "two") is None
    assert question("small-test", "colour") is None
    assert question("small-test", "must").type is QuestionType.LONG_TEXT
    assert [s.key for s in consultation("small-test").sections] == ["one"]
    assert rows(Comment) == comments


def test_a_reload_can_turn_a_sub_section_into_the_parent_of_its_former_parent(
    app, client, tmp_path
):
    bundle = copy_bundle(tmp_path)
    open_window(bundle)
    _respond(bundle, answers={"must": "Respuesta."}, comment_on="one")
    ids = {key: section("small-test", key).id for key in ("one", "two")}
    kept = (rows(Answer), rows(Comment))

    sections = bundle / "sections"
    edit_yaml(sections / "02-two.yaml", lambda s: s.update(parent=None, number="1"))
    edit_yaml(sections / "01-one.yaml", lambda s: s.update(parent="two", number="1.1"))
    (sections / "02-two.yaml").rename(sections / "01-two.yaml")
    (sections / "01-one.yaml").rename(sections / "02-one.yaml")
    report = load_bundle(bundle)

    assert sorted(report.updated) == ["section one", "section two"]
    small = consultation("small-test")
    assert [(s.key, s.parent.key if s.parent else None) for s in small.sections] == [
        ("two", None),
        ("one", "two"),
    ]
    assert {key: section("small-test", key).id for key in ("one", "two")} == ids
    assert (rows(Answer), rows(Comment)) == kept
    assert 'href="/c/small-test/s/one"' in client.get("/c/small-test/s/two").get_data(as_text=True)
    assert not load_bundle(bundle).changed


# ---------------------------------------------------------------- bad bundles


def _set(file: str, change: Callable[[dict], object]) -> Callable[[Path], None]:
    return lambda bundle: edit_yaml(bundle / file, change)


def _two_level_nesting(bundle: Path) -> None:
    three = {
        "key": "three",
        "number": "1.1.1",
        "parent": "two",
        "title": {"es": "Tres", "en": "Three"},
        "body": {"es": "Texto tres.", "en": "Text three."},
    }
    (bundle / "sections" / "03-three.yaml").write_text(yaml.safe_dump(three), encoding="utf-8")


def _child_before_parent(bundle: Path) -> None:
    (bundle / "sections" / "02-two.yaml").rename(bundle / "sections" / "00-two.yaml")


def _malformed_yaml(bundle: Path) -> None:
    path = bundle / "sections" / "02-two.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "questions: [unclosed\n", encoding="utf-8")


def _ranking_with_one_option(meta: dict) -> None:
    colour = meta["questions"][0]
    colour["type"] = "ranking"
    colour["options"] = colour["options"][:1]


def _likert_with_options(section_: dict) -> None:
    section_["questions"][0]["type"] = "likert"
    section_["questions"][0]["options"] = [
        {"code": "a", "es": "A", "en": "A"},
        {"code": "b", "es": "B", "en": "B"},
    ]


def _repeat_colour_in_two(section_: dict) -> None:
    section_["questions"] = [
        {"key": "colour", "type": "short_text", "prompt": {"es": "¿Color?", "en": "Colour?"}}
    ]


BAD_BUNDLES = {
    "missing-spanish-title": (
        _set("sections/01-one.yaml", lambda s: s["title"].pop("es")),
        ["01-one.yaml", "title.es"],
    ),
    "unknown-question-type": (
        _set("sections/01-one.yaml", lambda s: s["questions"][0].update(type="essay")),
        ["01-one.yaml", "must", "essay"],
    ),
    "ranking-with-one-option": (
        _set("consultation.yaml", _ranking_with_one_option),
        ["consultation.yaml", "colour", "options"],
    ),
    "repeated-question-key": (
        _set("sections/02-two.yaml", _repeat_colour_in_two),
        ["02-two.yaml", "colour"],
    ),
    "parent-not-listed-before": (_child_before_parent, ["00-two.yaml", "one"]),
    "two-level-nesting": (_two_level_nesting, ["03-three.yaml", "nest"]),
    "bad-slug": (
        _set("consultation.yaml", lambda m: m.update(slug="Small Test")),
        ["consultation.yaml", "Small Test"],
    ),
    "likert-with-options": (
        _set("sections/01-one.yaml", _likert_with_options),
        ["01-one.yaml", "must", "options"],
    ),
    "malformed-yaml": (_malformed_yaml, ["02-two.yaml"]),
}


@pytest.mark.parametrize("case", BAD_BUNDLES, ids=list(BAD_BUNDLES))
def test_a_bad_bundle_is_refused_with_file_and_problem_and_writes_nothing(app, tmp_path, case):
    breaks, fragments = BAD_BUNDLES[case]
    bundle = copy_bundle(tmp_path)
    breaks(bundle)

    with pytest.raises(ContentError) as refused:
        load_bundle(bundle)

    message = str(refused.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert [count(m) for m in CONTENT_TABLES] == [0, 0, 0]


def test_a_missing_bundle_folder_is_refused(app, tmp_path):
    with pytest.raises(ContentError) as refused:
        load_bundle(tmp_path / "nowhere")
    assert "nowhere" in str(refused.value)


def test_option_codes_written_as_in_the_documentation_load(app, tmp_path):
    """docs/content-bundles.md writes ``{code: yes, ...}``: plain YAML words stay codes."""
    bundle = copy_bundle(tmp_path)
    meta = bundle / "consultation.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8") + "  - key: agree\n"
        "    type: single_choice\n"
        "    required: false\n"
        '    prompt: {es: "¿De acuerdo?", en: "Agree?"}\n'
        "    options:\n"
        '      - {code: yes, es: "Sí", en: "Yes"}\n'
        '      - {code: no, es: "No", en: "No"}\n',
        encoding="utf-8",
    )
    load_bundle(bundle)
    agree = question("small-test", "agree")
    assert agree.option_codes() == ["yes", "no"]
    assert agree.required is False


# ---------------------------------------------------------------- the window


def test_explicit_dates_override_the_bundles_window(app, tmp_path):
    opens, closes = datetime(2031, 3, 1, 5), datetime(2031, 4, 15, 5)
    load_bundle(SMALL_BUNDLE, opens=opens, closes=closes)
    small = consultation("small-test")
    assert (small.opens_at, small.closes_at) == (opens, closes)

    # Later, only the closing date is moved.
    later = closes + timedelta(days=10)
    report = load_bundle(SMALL_BUNDLE, opens=opens, closes=later)
    assert report.changed
    assert (consultation("small-test").opens_at, consultation("small-test").closes_at) == (
        opens,
        later,
    )


def test_a_window_that_closes_before_it_opens_is_refused(app, tmp_path):
    with pytest.raises(ContentError):
        load_bundle(SMALL_BUNDLE, opens=datetime(2031, 4, 1), closes=datetime(2031, 3, 1))
    assert [count(m) for m in CONTENT_TABLES] == [0, 0, 0]

    load_bundle(SMALL_BUNDLE)
    before = snapshot()
    with pytest.raises(ContentError):
        load_bundle(SMALL_BUNDLE, opens=datetime(2030, 3, 1))  # after the bundle's close
    assert snapshot() == before

    bundle = copy_bundle(tmp_path)
    edit_yaml(bundle / "consultation.yaml", lambda m: m.update(closes=m["opens"]))
    with pytest.raises(ContentError) as refused:
        load_bundle(bundle)
    assert "close" in str(refused.value)
    assert snapshot() == before


def test_unquoted_numbers_in_a_bundle_are_read_as_written(app, tmp_path):
    folder = tmp_path / "bundle"
    shutil.copytree(SMALL_BUNDLE, folder)
    two = folder / "sections" / "02-two.yaml"
    two.write_text(two.read_text().replace('number: "1.1"', "number: 1.10"))
    load_bundle(folder)
    section = db.session.scalar(sa.select(Section).filter_by(key="two"))
    assert section.number == "1.10"
