"""Systematising the contributions: run the insight analyses on a consultation, store what
they suggest, and record what a coordinator confirms, dismisses, accepts or rejects.

``runs`` starts a run (one at a time per consultation), runs its parts (from the command
line or a background thread of the console), records who, when, with what, how long and
what it found. Each part (``copies``, ``themes``, ``groups``) reads the consultation into
DataFrames, calls ``insight``'s pure functions, and stores the result in one transaction,
replacing only the suggestions nobody has decided on. Every decision is one transaction
with its audit entry.

May import: models, extensions, insight, reviewing (its audit trail and errors). Never
Flask's request, ``web``, ``reports`` or a blueprint.
"""
