"""respondent profile per consultation; consent, time zone, share base, optional parts, gates

The profile lists (regions, stakeholder types and groups, sizes, gender, age bands) leave
the code for tables per consultation. Every consultation before this had the same fixed
profile, Peru's, so each is given it here, with the three contribution choices and the
consent naming its organiser and Ley N.º 29733 as before.

Revision ID: 59440986066e
Revises: 5b7e0c2d9a41
Create Date: 2026-12-03 19:28:58.267904

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "59440986066e"
down_revision = "5b7e0c2d9a41"
branch_labels = None
depends_on = None


_OLD_CHECKS = {
    "response": [
        "ck_response_stakeholder_type",
        "ck_response_organisation_size",
        "ck_response_region",
        "ck_response_gender",
        "ck_response_age_band",
        "ck_response_organisation_named",
        "ck_response_abroad_country",
    ],
    "comment": ["ck_comment_contribution"],
}
_CONTRIBUTIONS = [
    {"code": "problem_definition", "es": "Definición del problema", "en": "Problem definition"},
    {
        "code": "objective_formulation",
        "es": "Formulación de objetivos de política",
        "en": "Policy objective formulation",
    },
    {"code": "other", "es": "Otro", "en": "Other"},
]

#: The profile every consultation had before it became the bundle's: (field, required,
#: options as (code, es, en, group, only, abroad)); reporting groups under "group".
_FIXED_PROFILE = [
    (
        "group",
        False,
        [
            ("business", "Sector empresarial", "Business", None, None, False),
            ("academia", "Academia", "Academia", None, None, False),
            ("civil_society", "Sociedad civil", "Civil society", None, None, False),
            ("technical_community", "Comunidad técnica", "Technical community", None, None, False),
            ("public_sector", "Sector público", "Public sector", None, None, False),
            (
                "international",
                "Organismos internacionales",
                "International organisations",
                None,
                None,
                False,
            ),
            ("citizens", "Ciudadanía", "Citizens", None, None, False),
            ("other", "Otro", "Other", None, None, False),
        ],
    ),
    ("responding_as", True, []),
    (
        "stakeholder_type",
        True,
        [
            ("company", "Empresa o startup", "Company or startup", "business", None, False),
            (
                "business_association",
                "Gremio o cámara empresarial",
                "Business association or chamber",
                "business",
                None,
                False,
            ),
            (
                "academia",
                "Academia o investigación",
                "Academia or research",
                "academia",
                None,
                False,
            ),
            (
                "civil_society",
                "Organización de la sociedad civil",
                "Civil society organisation",
                "civil_society",
                None,
                False,
            ),
            ("trade_union", "Sindicato", "Trade union", "civil_society", None, False),
            (
                "technical_community",
                "Comunidad técnica",
                "Technical community",
                "technical_community",
                None,
                False,
            ),
            ("public_sector", "Sector público", "Public sector", "public_sector", None, False),
            (
                "international_org",
                "Organismo internacional",
                "International organisation",
                "international",
                None,
                False,
            ),
            (
                "individual",
                "Persona a título individual",
                "Individual citizen",
                "citizens",
                "individual",
                False,
            ),
            ("other", "Otro", "Other", "other", None, False),
        ],
    ),
    ("organisation_name", True, []),
    (
        "organisation_size",
        True,
        [
            (
                "micro",
                "Micro (menos de 10 personas)",
                "Micro (fewer than 10 people)",
                None,
                None,
                False,
            ),
            (
                "small",
                "Pequeña (de 10 a 49 personas)",
                "Small (10 to 49 people)",
                None,
                None,
                False,
            ),
            (
                "medium",
                "Mediana (de 50 a 249 personas)",
                "Medium (50 to 249 people)",
                None,
                None,
                False,
            ),
            (
                "large",
                "Grande (250 personas o más)",
                "Large (250 people or more)",
                None,
                None,
                False,
            ),
        ],
    ),
    (
        "region",
        True,
        [
            ("amazonas", "Amazonas", "Amazonas", None, None, False),
            ("ancash", "Áncash", "Áncash", None, None, False),
            ("apurimac", "Apurímac", "Apurímac", None, None, False),
            ("arequipa", "Arequipa", "Arequipa", None, None, False),
            ("ayacucho", "Ayacucho", "Ayacucho", None, None, False),
            ("cajamarca", "Cajamarca", "Cajamarca", None, None, False),
            ("callao", "Callao", "Callao", None, None, False),
            ("cusco", "Cusco", "Cusco", None, None, False),
            ("huancavelica", "Huancavelica", "Huancavelica", None, None, False),
            ("huanuco", "Huánuco", "Huánuco", None, None, False),
            ("ica", "Ica", "Ica", None, None, False),
            ("junin", "Junín", "Junín", None, None, False),
            ("la_libertad", "La Libertad", "La Libertad", None, None, False),
            ("lambayeque", "Lambayeque", "Lambayeque", None, None, False),
            ("lima_metropolitana", "Lima Metropolitana", "Lima Metropolitana", None, None, False),
            ("lima_provincias", "Lima Provincias", "Lima Provincias", None, None, False),
            ("loreto", "Loreto", "Loreto", None, None, False),
            ("madre_de_dios", "Madre de Dios", "Madre de Dios", None, None, False),
            ("moquegua", "Moquegua", "Moquegua", None, None, False),
            ("pasco", "Pasco", "Pasco", None, None, False),
            ("piura", "Piura", "Piura", None, None, False),
            ("puno", "Puno", "Puno", None, None, False),
            ("san_martin", "San Martín", "San Martín", None, None, False),
            ("tacna", "Tacna", "Tacna", None, None, False),
            ("tumbes", "Tumbes", "Tumbes", None, None, False),
            ("ucayali", "Ucayali", "Ucayali", None, None, False),
            ("abroad", "Fuera del Perú", "Outside Peru", None, None, True),
        ],
    ),
    (
        "gender",
        False,
        [
            ("woman", "Mujer", "Woman", None, None, False),
            ("man", "Hombre", "Man", None, None, False),
            ("non_binary", "No binaria", "Non-binary", None, None, False),
            ("other", "Otra identidad", "Another identity", None, None, False),
            ("prefer_not", "Prefiero no decirlo", "Prefer not to say", None, None, False),
        ],
    ),
    (
        "age_band",
        False,
        [
            ("under_18", "Menos de 18", "Under 18", None, None, False),
            ("18_29", "De 18 a 29", "18 to 29", None, None, False),
            ("30_44", "De 30 a 44", "30 to 44", None, None, False),
            ("45_59", "De 45 a 59", "45 to 59", None, None, False),
            ("60_plus", "60 o más", "60 or older", None, None, False),
            ("prefer_not", "Prefiero no decirlo", "Prefer not to say", None, None, False),
        ],
    ),
]


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "profile_field",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("asked", sa.Boolean(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("prompt_es", sa.Text(), nullable=False),
        sa.Column("prompt_en", sa.Text(), nullable=False),
        sa.Column("help_es", sa.Text(), nullable=False),
        sa.Column("help_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_profile_field_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_field")),
        sa.UniqueConstraint(
            "consultation_id", "key", name=op.f("uq_profile_field_consultation_id_key")
        ),
    )
    with op.batch_alter_table("profile_field", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_field_consultation_id"), ["consultation_id"], unique=False
        )

    op.create_table(
        "gate_answer",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("wants", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_gate_answer_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["section.id"],
            name=op.f("fk_gate_answer_section_id_section"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "section_id", name=op.f("pk_gate_answer")),
    )
    with op.batch_alter_table("gate_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gate_answer_section_id"), ["section_id"], unique=False)

    op.create_table(
        "profile_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label_es", sa.String(length=300), nullable=False),
        sa.Column("label_en", sa.String(length=300), nullable=False),
        sa.Column("group", sa.String(length=64), nullable=True),
        sa.Column("only", sa.String(length=16), nullable=True),
        sa.Column("abroad", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["field_id"],
            ["profile_field.id"],
            name=op.f("fk_profile_option_field_id_profile_field"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_option")),
        sa.UniqueConstraint("field_id", "code", name=op.f("uq_profile_option_field_id_code")),
    )
    op.create_table(
        "respondent_trait",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["field_id", "code"],
            ["profile_option.field_id", "profile_option.code"],
            name="fk_respondent_trait_option",
        ),
        sa.ForeignKeyConstraint(
            ["field_id"],
            ["profile_field.id"],
            name=op.f("fk_respondent_trait_field_id_profile_field"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_respondent_trait_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "field_id", name=op.f("pk_respondent_trait")),
    )
    with op.batch_alter_table("respondent_trait", schema=None) as batch_op:
        batch_op.create_index("ix_respondent_trait_field_code", ["field_id", "code"], unique=False)

    with op.batch_alter_table("comment", schema=None) as batch_op:
        for name in _OLD_CHECKS["comment"]:
            batch_op.drop_constraint(op.f(name), type_="check")
        batch_op.alter_column(
            "contribution",
            existing_type=sa.VARCHAR(length=32),
            type_=sa.String(length=64),
            nullable=True,
        )

    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "time_zone", sa.String(length=64), server_default="America/Lima", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "share_base",
                sa.Enum(
                    "valid",
                    "answered",
                    name="share_base",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="valid",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("asks_publication", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("contributions", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "data_controller_es", sa.String(length=300), server_default="", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "data_controller_en", sa.String(length=300), server_default="", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("data_law_es", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("data_law_en", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("consent_es", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("consent_en", sa.Text(), server_default="", nullable=False))

    with op.batch_alter_table("response", schema=None) as batch_op:
        for name in _OLD_CHECKS["response"]:
            batch_op.drop_constraint(op.f(name), type_="check")
        batch_op.alter_column("responding_as", existing_type=sa.VARCHAR(length=32), nullable=True)
        batch_op.alter_column(
            "stakeholder_type",
            existing_type=sa.VARCHAR(length=32),
            type_=sa.String(length=64),
            existing_nullable=False,
        )
        batch_op.alter_column(
            "organisation_size",
            existing_type=sa.VARCHAR(length=32),
            type_=sa.String(length=64),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "region", existing_type=sa.VARCHAR(length=32), type_=sa.String(length=64), nullable=True
        )
        batch_op.alter_column(
            "gender",
            existing_type=sa.VARCHAR(length=32),
            type_=sa.String(length=64),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "age_band",
            existing_type=sa.VARCHAR(length=32),
            type_=sa.String(length=64),
            existing_nullable=True,
        )

    with op.batch_alter_table("section", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("comments_enabled", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("gate_es", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("gate_en", sa.Text(), server_default="", nullable=False))

    # ### end Alembic commands ###
    _give_the_fixed_profile()


def _give_the_fixed_profile():
    bind = op.get_bind()
    field = sa.table(
        "profile_field",
        *(sa.column(c) for c in ("id", "consultation_id", "key", "position", "asked", "required")),
        *(sa.column(c) for c in ("prompt_es", "prompt_en", "help_es", "help_en")),
    )
    option = sa.table(
        "profile_option",
        *(sa.column(c) for c in ("field_id", "code", "position", "label_es", "label_en")),
        *(sa.column(c) for c in ("group", "only", "abroad")),
    )
    consultation = sa.table(
        "consultation",
        *(sa.column(c) for c in ("id", "organiser_es", "organiser_en", "data_law_es")),
        *(sa.column(c) for c in ("data_law_en", "data_controller_es", "data_controller_en")),
        sa.column("contributions", sa.JSON),
    )
    rows = bind.execute(
        sa.select(consultation.c.id, consultation.c.organiser_es, consultation.c.organiser_en)
    ).all()
    for consultation_id, organiser_es, organiser_en in rows:
        bind.execute(
            consultation.update()
            .where(consultation.c.id == consultation_id)
            .values(
                contributions=_CONTRIBUTIONS,
                data_controller_es=organiser_es,
                data_controller_en=organiser_en,
                data_law_es="Ley N.º 29733, Ley de Protección de Datos Personales",
                data_law_en="Peru's Personal Data Protection Law (Ley N.º 29733)",
            )
        )
        for position, (key, required, options) in enumerate(_FIXED_PROFILE):
            field_id = bind.execute(
                field.insert()
                .values(
                    consultation_id=consultation_id,
                    key=key,
                    position=position,
                    asked=key != "group",
                    required=required,
                    prompt_es="",
                    prompt_en="",
                    help_es="",
                    help_en="",
                )
                .returning(field.c.id)
            ).scalar_one()
            for n, (code, es, en, group, only, abroad) in enumerate(options):
                bind.execute(
                    option.insert().values(
                        field_id=field_id,
                        code=code,
                        position=n,
                        label_es=es,
                        label_en=en,
                        group=group,
                        only=only,
                        abroad=abroad,
                    )
                )


def downgrade():
    # Downgrading keeps the rows but not the lists: responses whose codes are not Peru's
    # (another consultation's regions, say) make the old checks fail, and nothing changes.
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("section", schema=None) as batch_op:
        batch_op.drop_column("gate_en")
        batch_op.drop_column("gate_es")
        batch_op.drop_column("comments_enabled")

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.alter_column(
            "age_band",
            existing_type=sa.String(length=64),
            type_=sa.VARCHAR(length=32),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "gender",
            existing_type=sa.String(length=64),
            type_=sa.VARCHAR(length=32),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "region",
            existing_type=sa.String(length=64),
            type_=sa.VARCHAR(length=32),
            nullable=False,
        )
        batch_op.alter_column(
            "organisation_size",
            existing_type=sa.String(length=64),
            type_=sa.VARCHAR(length=32),
            existing_nullable=True,
        )
        batch_op.alter_column(
            "stakeholder_type",
            existing_type=sa.String(length=64),
            type_=sa.VARCHAR(length=32),
            existing_nullable=False,
        )
        batch_op.alter_column("responding_as", existing_type=sa.VARCHAR(length=32), nullable=False)
        for key, _required, options in _FIXED_PROFILE:
            if options and key != "group":
                codes = ", ".join(f"'{o[0]}'" for o in options)
                batch_op.create_check_constraint(key, f"{key} IN ({codes})")
        batch_op.create_check_constraint(
            "organisation_named",
            "responding_as <> 'organisation' OR organisation_name IS NOT NULL",
        )
        batch_op.create_check_constraint(
            "abroad_country", "region <> 'abroad' OR country IS NOT NULL"
        )

    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("consent_en")
        batch_op.drop_column("consent_es")
        batch_op.drop_column("data_law_en")
        batch_op.drop_column("data_law_es")
        batch_op.drop_column("data_controller_en")
        batch_op.drop_column("data_controller_es")
        batch_op.drop_column("contributions")
        batch_op.drop_column("asks_publication")
        batch_op.drop_constraint(op.f("ck_consultation_share_base"), type_="check")
        batch_op.drop_column("share_base")
        batch_op.drop_column("time_zone")

    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.alter_column(
            "contribution",
            existing_type=sa.String(length=64),
            type_=sa.VARCHAR(length=32),
            nullable=False,
        )
        batch_op.create_check_constraint(
            "contribution",
            "contribution IN ('problem_definition', 'objective_formulation', 'other')",
        )

    with op.batch_alter_table("respondent_trait", schema=None) as batch_op:
        batch_op.drop_index("ix_respondent_trait_field_code")

    op.drop_table("respondent_trait")
    op.drop_table("profile_option")
    with op.batch_alter_table("gate_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gate_answer_section_id"))

    op.drop_table("gate_answer")
    with op.batch_alter_table("profile_field", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_field_consultation_id"))

    op.drop_table("profile_field")
    # ### end Alembic commands ###
