"""HTTP plumbing shared by the blueprints and wired in by ``create_app``.

Security headers and the one before-request hook (``security``), gzip (``compression``),
fingerprinted static files (``assets``), bilingual error pages (``errors``), rate limits
(``limits``), template globals (``templating``, ``choice_markup``), WTForms' messages per
language (``form_messages``) and list paging (``paging``).

May import: models, extensions, and operations' exceptions. Used by blueprints and the app
factory only; operations, reports and analysis never import it.
"""
