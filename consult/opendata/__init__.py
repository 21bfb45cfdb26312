"""The open-data package: a consultation's public data as a Frictionless Data Package.

``consult export-open-data`` writes it to a folder or a zip, and the public results page
offers the zip (``public.open_data``) once the results are published. It holds only what
is already public, read through ``consult.published`` and the open report: questions and
options, the aggregate results (the open report's own figures: small groups pooled,
totals below K withheld), published comments as their authors chose, and, once the
outcome is published, themes and decisions with their reasons in both languages.

The same data gives the same bytes (fixed order, fixed zip dates), so two exports can be
compared with ``diff``. ``docs/open-data.md`` says what each file holds.

May import published, reports (its pure modules), models and extensions; never a
blueprint nor ``flask.request``: the route that serves the zip lives in ``public``.
"""

from .package import (
    OpenDataRefused,
    build_package,
    licence,
    package_files,
    results_address,
    to_zip,
    write_package,
)

__all__ = [
    "OpenDataRefused",
    "build_package",
    "licence",
    "package_files",
    "results_address",
    "to_zip",
    "write_package",
]
