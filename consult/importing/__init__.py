"""Importing responses collected elsewhere: another form tool's export, paper forms typed in.

``reading`` turns a CSV or XLSX file into rows of text (encoding and delimiter found,
hostile files refused); ``mapping`` is the YAML that says which column is which profile
field, question or section comment, read and checked against the consultation;
``suggest`` proposes a mapping from the headers and labels; ``rows`` converts and checks
every row (pure: nothing is written) and hashes it; ``writing`` adds the rows that passed
in one transaction, as the web form would have stored them, and takes a file back
(``remove_import``).

May import: models, extensions, ``responding`` (its profile check and the public-change
mark), ``reviewing`` (the audit entry), ``authoring`` (keeping an upload). Never Flask's
request, ``web``, ``reports`` or a blueprint.
"""

from .mapping import Mapping, MappingError, dump_mapping, load_mapping
from .reading import Table, TableRefused, read_table
from .rows import Plan, Problem, plan_import
from .suggest import suggest_mapping
from .writing import ImportConflict, ImportResult, RemovalRefused, import_rows, remove_import

__all__ = [
    "ImportConflict",
    "ImportResult",
    "Mapping",
    "MappingError",
    "Plan",
    "Problem",
    "RemovalRefused",
    "Table",
    "TableRefused",
    "dump_mapping",
    "import_rows",
    "load_mapping",
    "plan_import",
    "read_table",
    "remove_import",
    "suggest_mapping",
]
