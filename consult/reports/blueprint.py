"""Blueprint "reports", nested in the console at /console/c/<slug>/report.

Being nested, every route here needs a signed-in coordinator (the console's check).
Pages live in views.py, downloads in downloads.py; both attach to this ``bp``.
"""

from flask import Blueprint

bp = Blueprint("reports", __name__)
