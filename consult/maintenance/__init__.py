"""Keeping a running installation: backup and checked restore, purging personal data.

Called from the CLI (``consult backup``, ``restore``, ``purge-personal-data``).
May import: models, extensions, ``reviewing.audit``. Never Flask's request or a blueprint.
"""
