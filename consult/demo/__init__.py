"""A demonstration consultation in one command (``consult demo``).

A newcomer who installs consult sees an empty console; ``consult demo`` loads a copy of the
bundled ENIA draft under a slug of its own, marks it ``Consultation.is_demo`` (every page
and every open output of it says so) and fills it with synthetic responses that look like
a real consultation's: a skewed mix of stakeholders and regions, answers in two or three
camps, Spanish comments from varied templates, a campaign of near-copies, comments in
every moderation state, a few themes and decisions.

- ``shape``: what the generator needs to know of the consultation, as plain data;
- ``people``: who responds, when and how (profile, publication, channel, time);
- ``opinions``: the camps and the answers they give;
- ``texts``: the comments' Spanish, the campaign letter, moderation and themes;
- ``plan``: everything above put together, a pure function of (shape, N, seed);
- ``writing``: the one transaction that writes a plan (Core bulk inserts).

Generation never touches the database, so a seed gives the same demo every time.

May import: ``models``, ``extensions``, ``content`` (the bundle loader) and ``responding``
(the mark that drops the public pages' caches); never the blueprints, ``web`` or ``reports``.
"""
