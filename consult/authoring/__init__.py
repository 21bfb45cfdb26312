"""Writing consultations in the console (issue 17): operations over the models, like
``reviewing`` and ``outcome``, each change one transaction with its audit entry.

May import: models, extensions, ``content`` (the bundle format and the safe Markdown),
``reviewing.audit``, ``responding.changes``, ``outcome.stages``; never the blueprints,
``web`` or ``flask.request``.
"""
