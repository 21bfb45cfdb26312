"""imported responses: their channel, their file, a hash of each row; demo consultations

Revision ID: cabcbc9d9806
Revises: dacb46f1e093
Create Date: 2026-12-04 22:35:02.092519

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "cabcbc9d9806"
down_revision = "dacb46f1e093"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "response_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "online",
                "import",
                "paper",
                name="import_channel",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_skipped", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_response_import_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["user_account.id"],
            name=op.f("fk_response_import_imported_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_import")),
    )
    with op.batch_alter_table("response_import", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_import_consultation_id"), ["consultation_id"], unique=False
        )

    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_demo", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "channel",
                sa.Enum(
                    "online",
                    "import",
                    "paper",
                    name="channel",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="online",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_response_import_id"), ["import_id"], unique=False)
        batch_op.create_unique_constraint("uq_response_row_hash", ["consultation_id", "row_hash"])
        batch_op.create_foreign_key(
            batch_op.f("fk_response_import_id_response_import"),
            "response_import",
            ["import_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        # SQLite rebuilds the table: its CHECK on ``channel`` must go before the column.
        batch_op.drop_constraint(op.f("ck_response_channel"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_response_import_id_response_import"), type_="foreignkey"
        )
        batch_op.drop_constraint("uq_response_row_hash", type_="unique")
        batch_op.drop_index(batch_op.f("ix_response_import_id"))
        batch_op.drop_column("row_hash")
        batch_op.drop_column("import_id")
        batch_op.drop_column("channel")

    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("is_demo")

    with op.batch_alter_table("response_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_import_consultation_id"))

    op.drop_table("response_import")
