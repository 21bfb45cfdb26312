"""response form token and address hash

The token of the form that starts a response is unique, so the same form sent twice
cannot make a second response; a salted hash of the client address lets coordinators
spot floods without keeping the address.

Revision ID: 2fa432c59fdc
Revises: e086f51d0feb
Create Date: 2026-11-27 16:34:40.475601

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "2fa432c59fdc"
down_revision = "e086f51d0feb"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("form_token", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("address_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "ix_response_consultation_address", ["consultation_id", "address_hash"], unique=False
        )
        batch_op.create_unique_constraint(batch_op.f("uq_response_form_token"), ["form_token"])


def downgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_response_form_token"), type_="unique")
        batch_op.drop_index("ix_response_consultation_address")
        batch_op.drop_column("address_hash")
        batch_op.drop_column("form_token")
