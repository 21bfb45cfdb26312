"""Closing the loop (issue 16): a consultation's stages, and later decisions and outcomes.

An operations package like ``reviewing``: plain functions over the models that change
rows in one transaction with their audit entry. May import: models, extensions,
``content`` (a new version's bundle is read and written as a reload does),
``reviewing.audit`` and ``responding.changes``; never the blueprints, ``web``,
``reports`` or ``flask.request``.
"""
