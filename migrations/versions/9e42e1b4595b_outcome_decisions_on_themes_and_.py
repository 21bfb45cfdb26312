"""outcome: decisions on themes and sections, draft versions, changes

Revision ID: 9e42e1b4595b
Revises: d3f1a7c2b9e0
Create Date: 2026-12-04 17:39:10.136023

"""

import sqlalchemy as sa
from alembic import op

_DECISIONS = ("accepted", "partly", "not_accepted", "out_of_scope")


# revision identifiers, used by Alembic.
revision = "9e42e1b4595b"
down_revision = "d3f1a7c2b9e0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "draft_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("note_es", sa.Text(), server_default="", nullable=False),
        sa.Column("note_en", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_draft_version_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_draft_version_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_version")),
        sa.UniqueConstraint(
            "consultation_id", "number", name=op.f("uq_draft_version_consultation_id_number")
        ),
    )
    with op.batch_alter_table("draft_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draft_version_consultation_id"), ["consultation_id"], unique=False
        )

    op.create_table(
        "draft_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("explanation_es", sa.Text(), server_default="", nullable=False),
        sa.Column("explanation_en", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["section.id"],
            name=op.f("fk_draft_change_section_id_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["draft_version.id"],
            name=op.f("fk_draft_change_version_id_draft_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_change")),
        sa.UniqueConstraint(
            "version_id", "section_id", name=op.f("uq_draft_change_version_id_section_id")
        ),
    )
    with op.batch_alter_table("draft_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draft_change_section_id"), ["section_id"], unique=False
        )

    op.create_table(
        "outcome_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column(
            "decision",
            sa.Enum(
                "accepted",
                "partly",
                "not_accepted",
                "out_of_scope",
                "already_in_draft",
                name="decision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason_es", sa.Text(), nullable=False),
        sa.Column("reason_en", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(theme_id IS NULL) <> (section_id IS NULL)",
            name=op.f("ck_outcome_decision_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_outcome_decision_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["section.id"],
            name=op.f("fk_outcome_decision_section_id_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_outcome_decision_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_decision")),
        sa.UniqueConstraint("section_id", name=op.f("uq_outcome_decision_section_id")),
        sa.UniqueConstraint("theme_id", name=op.f("uq_outcome_decision_theme_id")),
    )
    op.create_table(
        "section_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("title_es", sa.String(length=300), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("body_md_es", sa.Text(), nullable=False),
        sa.Column("body_md_en", sa.Text(), nullable=False),
        sa.Column("body_html_es", sa.Text(), nullable=False),
        sa.Column("body_html_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["section.id"],
            name=op.f("fk_section_text_section_id_section"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["draft_version.id"],
            name=op.f("fk_section_text_version_id_draft_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_section_text")),
        sa.UniqueConstraint(
            "version_id", "section_id", name=op.f("uq_section_text_version_id_section_id")
        ),
    )
    with op.batch_alter_table("section_text", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_section_text_section_id"), ["section_id"], unique=False
        )

    op.create_table(
        "change_comment",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["draft_change.id"],
            name=op.f("fk_change_comment_change_id_draft_change"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comment.id"],
            name=op.f("fk_change_comment_comment_id_comment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("change_id", "comment_id", name=op.f("pk_change_comment")),
    )
    with op.batch_alter_table("change_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_comment_comment_id"), ["comment_id"], unique=False
        )

    op.create_table(
        "change_theme",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["draft_change.id"],
            name=op.f("fk_change_theme_change_id_draft_change"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_change_theme_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("change_id", "theme_id", name=op.f("pk_change_theme")),
    )
    with op.batch_alter_table("change_theme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_theme_theme_id"), ["theme_id"], unique=False)

    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("current_version", sa.Integer(), server_default="1", nullable=False)
        )

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("draft_version", sa.Integer(), server_default="1", nullable=False)
        )

    # A comment's decision may now also be "already in the draft".
    _decision_check(_DECISIONS + ("already_in_draft",))


def _decision_check(values):
    listed = ", ".join(f"'{value}'" for value in values)
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_comment_decision"), type_="check")
        batch_op.create_check_constraint(op.f("ck_comment_decision"), f"decision IN ({listed})")


def downgrade():
    op.execute(
        "UPDATE comment SET decision = NULL, decision_reason = NULL"
        " WHERE decision = 'already_in_draft'"
    )
    _decision_check(_DECISIONS)
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("draft_version")

    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("current_version")

    with op.batch_alter_table("change_theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_theme_theme_id"))

    op.drop_table("change_theme")
    with op.batch_alter_table("change_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_comment_comment_id"))

    op.drop_table("change_comment")
    with op.batch_alter_table("section_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_section_text_section_id"))

    op.drop_table("section_text")
    op.drop_table("outcome_decision")
    with op.batch_alter_table("draft_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_change_section_id"))

    op.drop_table("draft_change")
    with op.batch_alter_table("draft_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_version_consultation_id"))

    op.drop_table("draft_version")
