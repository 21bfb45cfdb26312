"""consultation stage: preparation, running, analysis, outcome

Revision ID: d3f1a7c2b9e0
Revises: cb8194c51a1d
Create Date: 2026-12-04 16:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d3f1a7c2b9e0"
down_revision = "cb8194c51a1d"
branch_labels = None
depends_on = None


def upgrade():
    # Existing consultations keep behaving as today: running, opened and closed by dates.
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "stage",
                sa.Enum(
                    "preparation",
                    "running",
                    "analysis",
                    "outcome",
                    name="stage",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="running",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("stage_changed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        # SQLite rebuilds the table: its CHECK on ``stage`` must go before the column.
        batch_op.drop_constraint(op.f("ck_consultation_stage"), type_="check")
        batch_op.drop_column("stage_changed_at")
        batch_op.drop_column("stage")
