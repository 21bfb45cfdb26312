"""authoring: editors of a consultation, text revisions, contact, privacy notice, archive

Revision ID: dacb46f1e093
Revises: 9e42e1b4595b
Create Date: 2026-12-04 18:15:21.655546

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "dacb46f1e093"
down_revision = "9e42e1b4595b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consultation_editor",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_editor_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"],
            ["user_account.id"],
            name=op.f("fk_consultation_editor_granted_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_consultation_editor_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultation_id", "user_id", name=op.f("pk_consultation_editor")),
    )
    with op.batch_alter_table("consultation_editor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_editor_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "text_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_text_revision_changed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_text_revision_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_revision")),
    )
    with op.batch_alter_table("text_revision", schema=None) as batch_op:
        batch_op.create_index(
            "ix_text_revision_target", ["consultation_id", "target", "target_id"], unique=False
        )

    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("contact", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("privacy_md_es", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("privacy_md_en", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("privacy_html_es", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("privacy_html_en", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
        batch_op.drop_column("privacy_html_en")
        batch_op.drop_column("privacy_html_es")
        batch_op.drop_column("privacy_md_en")
        batch_op.drop_column("privacy_md_es")
        batch_op.drop_column("contact")

    with op.batch_alter_table("text_revision", schema=None) as batch_op:
        batch_op.drop_index("ix_text_revision_target")

    op.drop_table("text_revision")
    with op.batch_alter_table("consultation_editor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_editor_user_id"))

    op.drop_table("consultation_editor")
