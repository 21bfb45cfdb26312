"""public results: consultation.summary_published

Revision ID: a2adefd339c6
Revises: 80fd2d444179
Create Date: 2026-11-27 14:04:12.789881

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a2adefd339c6"
down_revision = "80fd2d444179"
branch_labels = None
depends_on = None


def upgrade():
    # Existing consultations start unpublished: the server default fills their rows.
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("summary_published", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("summary_published")
