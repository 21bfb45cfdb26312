"""The report and the public results say how many responses they count, in the singular
for one ("1 submitted response counted", not "1 … responses")."""

from __future__ import annotations

from datetime import timedelta

from consult.extensions import db
from consult.models.columns import utcnow
from tests.factories import add_response
from tests.reports.test_views import page


def test_one_response_is_counted_in_the_singular(coordinator_client, enia):
    add_response(
        enia,
        submitted_at=utcnow() - timedelta(hours=1),
        stakeholder_type="academia",
        responding_as="individual",
        region="cusco",
    )
    db.session.commit()
    body = page(coordinator_client, "/console/c/enia-2021/report/?lang=en")
    assert "<strong>1</strong> submitted response counted." in body
