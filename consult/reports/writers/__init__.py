"""Thin writers over the report's frames, one module per format; each Report → bytes.

``csv_zip`` (a zip of tidy CSV files, streamed), ``xlsx`` (a formatted workbook with
native charts), ``json_document`` and ``pdf`` (the printable "Informe de resultados").
They share the tidy tables (``tidy``), the confidential raw rows (``raw``), formula
neutralisation (``formulas``) and the words of ``..labels`` in the report's language.
"""

from .csv_zip import csv_zip_chunks, to_csv_zip
from .formulas import neutralise, safe_frame
from .json_document import to_json
from .pdf import to_pdf
from .raw import RawFile, raw_rows
from .xlsx import to_xlsx

__all__ = [
    "RawFile",
    "csv_zip_chunks",
    "neutralise",
    "raw_rows",
    "safe_frame",
    "to_csv_zip",
    "to_json",
    "to_pdf",
    "to_xlsx",
]
