"""covering index of answer choices for reports

Reports count options and sum ranks per answer from this index alone, without reading
the rows of answer_choice.

Revision ID: e086f51d0feb
Revises: ef8a88217428
Create Date: 2026-11-27 15:24:11.981651

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "e086f51d0feb"
down_revision = "ef8a88217428"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("answer_choice", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answer_choice_answer_option_position",
            ["answer_id", "option", "position"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("answer_choice", schema=None) as batch_op:
        batch_op.drop_index("ix_answer_choice_answer_option_position")
