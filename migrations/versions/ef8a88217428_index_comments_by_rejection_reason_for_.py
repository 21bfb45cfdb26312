"""index comments by rejection reason for reports

Revision ID: ef8a88217428
Revises: a2adefd339c6
Create Date: 2026-11-27 15:10:04.095812

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "ef8a88217428"
down_revision = "a2adefd339c6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comment_rejection_reason", ["rejection_reason", "response_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_rejection_reason")
