"""Analyses that help people make sense of many contributions, as pure functions.

Each module takes plain Python values, DataFrames or arrays and returns the same, with no
Flask and no database: ``text`` (normalising), ``lemmas`` (language, lemmas, stop words),
``copies`` (exact copies, near copies, template campaigns), ``themes`` (suggested themes),
``groups`` (opinion groups), ``representation`` (who responded against who lives there).
Everything they find is a suggestion; ``systematising`` stores it for a person to confirm.

May import: nothing of consult's (numpy, pandas, scikit-learn and its threadpoolctl,
datasketch, simplemma only).
"""
