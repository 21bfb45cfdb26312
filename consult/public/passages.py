"""Comments on one passage of a section (a paragraph, or a line such as a target), and
the wording a respondent proposes for it.

Every passage of a section's text has a stable anchor (``content.passages``): the
section page gives each an ``id`` and a link to its own page, which shows the passage,
its published comments, and (while the consultation is open) a form for a comment and
new wording. Plain links and a plain form: it all works without JavaScript.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from markupsafe import Markup

from .. import responding
from ..content import passages
from ..models import Consultation, Section
from ..models.columns import current_language
from ..published.passages import passage_comments, passage_counts
from ..responding.passages import PassageInput, passage_comment, save_passage_comment
from ..web.paging import page_number
from . import bp, drafts
from .cache import kept_html, shared_consultation
from .forms import passage_form


def section_passages(section: Section, language: str | None = None) -> tuple[passages.Passage, ...]:
    """The section's passages in a language (the request's), anchored by the first one's."""
    language = language or current_language()
    if language == "es" or not section.body_md_en:
        return passages.passages(section.body_md_es)
    return passages.passages(section.body_md_en, section.body_md_es)


def _on_passage(passage: passages.Passage) -> str:
    """ "on paragraph 3": what a passage's link is about (whole phrases: Spanish words
    agree with "párrafo" and "línea" differently)."""
    if passage.kind == passages.ITEM:
        return _("on line %(number)d", number=passage.number)
    return _("on paragraph %(number)d", number=passage.number)


def _heading(passage: passages.Passage, section: Section) -> str:
    title = f"{section.number}. {section.title}"
    if passage.kind == passages.ITEM:
        return _("Comments on line %(number)d of %(section)s", number=passage.number, section=title)
    return _(
        "Comments on paragraph %(number)d of %(section)s", number=passage.number, section=title
    )


@bp.app_template_global()
def section_body(consultation: Consultation, section: Section) -> Markup:
    """The section's text with an ``id`` on each passage and, where the section takes
    comments, a link after each to its page (with its number of published comments)."""
    return kept_html(
        ("passages", section.id, consultation.is_open),
        lambda: _section_body(consultation, section),
    )


def _section_body(consultation: Consultation, section: Section) -> Markup:
    language = current_language()
    if language == "es" or not section.body_md_en:
        html = passages.marked_html(section.body_md_es)
    else:
        html = passages.marked_html(section.body_md_en, section.body_md_es)
    if not section.comments_enabled:
        return Markup(passages.link_passages(html, lambda _anchor: ""))
    named = {p.anchor: p for p in section_passages(section, language)}
    counts = passage_counts(section)
    open_ = consultation.is_open

    def link(anchor: str) -> str:
        passage = named.get(anchor)
        count = counts.get(anchor, 0)
        if passage is None or not (open_ or count):
            return ""
        href = url_for(
            "public.show_passage", slug=consultation.slug, key=section.key, anchor=anchor
        )
        hidden = _on_passage(passage)
        number = ngettext("%(num)d comment", "%(num)d comments", count) if count else ""
        if open_:
            shown, after = pgettext("action", "Comment"), f" ({number})" if count else ""
        else:
            shown, after = number, ""
        return str(
            Markup(
                ' <a class="passage-link" href="{}">{}'
                '<span class="visually-hidden"> {}</span>{}</a>'
            ).format(href, shown, hidden, after)
        )

    return Markup(passages.link_passages(html, link))


def _passage(section: Section, anchor: str) -> passages.Passage:
    if not section.comments_enabled or not passages.ANCHOR.match(anchor):
        abort(404)
    found = passages.find(section_passages(section), anchor)
    if found is None:
        abort(404)
    return found


@bp.route("/c/<slug>/s/<key>/p/<anchor>", methods=["GET", "POST"])
def show_passage(slug: str, key: str, anchor: str):
    """One passage: its published comments, and a comment and new wording for it."""
    consultation = shared_consultation(slug)
    section = next((s for s in consultation.sections if s.key == key), None)
    if section is None:
        abort(404)
    passage = _passage(section, anchor)
    response = drafts.current_response(consultation)
    here = url_for("public.show_passage", slug=slug, key=key, anchor=anchor)
    if request.method == "POST":
        responding.ensure_writable(consultation, response)
        if response is None:
            flash(_("Please tell us who you are first; then you can answer."), "error")
            return redirect(url_for("public.edit_profile", slug=slug, next=here))
    form = None
    status = 200
    if response is not None and response.is_editable:
        current = passage_comment(response, section, anchor)
        form = passage_form(
            max_chars=current_app.config["MAX_COMMENT_CHARS"],
            contributions=consultation.contribution_choices(current_language()),
            formdata=request.form if request.method == "POST" else None,
            comment=current.text if current else "",
            contribution=current.contribution if current else None,
            proposal=(current.proposal or passage.text) if current else passage.text,
        )
        if request.method == "POST":
            if form.validate_on_submit():
                given = PassageInput(
                    form.comment.data or "",
                    form.contribution.data if form.asks_contribution else None,
                    form.proposal.data or "",
                )
                save_passage_comment(response, section, passage, given)
                flash(_("Saved."), "success")
                return redirect(url_for("public.show_section", slug=slug, key=key, _anchor=anchor))
            status = 422
    return (
        render_template(
            "public/passage.html",
            consultation=consultation,
            section=section,
            passage=passage,
            heading=_heading(passage, section),
            response=response,
            form=form,
            written=passage_comment(response, section, anchor) if response else None,
            comments=passage_comments(section, anchor, page_number(request.args.get("page"))),
            profile_url=url_for("public.edit_profile", slug=slug, next=here),
        ),
        status,
    )
