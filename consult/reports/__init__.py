"""Aggregated feedback reports: pure functions returning DataFrames, and thin writers.

SQL does the counting; pandas shapes the results; nothing loads whole tables. May import:
models, extensions, insight (pure analyses: who is missing), outcome.summary (what was
decided, for the final report). Only the views (``blueprint``, ``views``, ``downloads``)
touch Flask's request; frames, privacy and writers never do.
"""
