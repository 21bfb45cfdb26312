"""Consultation content: bundles read, checked and loaded; Markdown rendered safely.

``bundles`` reads a bundle folder (YAML + Markdown, docs/content-bundles.md), checks all of
it before writing, and loads it idempotently; ``markdown`` turns Markdown into sanitised
HTML at load time; ``export`` writes a stored consultation back out as a bundle, and
``compare`` says what loading one would change without writing anything. The bundled
drafts live beside them as data (``enia-2021/``).

May import: models, extensions. Never Flask's request, ``web``, or a blueprint.
"""

from .bundles import BUNDLES_DIR, ContentError, LoadReport, bundle_path, load_bundle, read_bundle

__all__ = ["BUNDLES_DIR", "ContentError", "LoadReport", "bundle_path", "load_bundle", "read_bundle"]
