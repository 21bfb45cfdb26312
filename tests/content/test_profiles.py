"""A bundle's respondent profile: checked whole, loaded, and kept safe on reload."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from consult.content import ContentError, load_bundle
from consult.extensions import db
from consult.models import Consultation, ProfileField, ProfileOption
from consult.models.columns import utcnow
from consult.responding import start_response as start_draft
from tests.conftest import PROFILE_ACADEMIA
from tests.content.test_bundles import copy_bundle, edit_yaml


def _consultation(slug: str = "small-test") -> Consultation:
    return db.session.scalar(sa.select(Consultation).filter_by(slug=slug))


def test_the_profile_of_the_bundle_is_the_consultations(app):
    load_bundle("valle-digital-2027")
    profile = _consultation("valle-digital-2027").profile

    assert [f.key for f in profile.fields] == [
        "responding_as",
        "stakeholder_type",
        "organisation_name",
        "region",
        "age_band",
        "education",
        "occupation",
    ]
    assert profile["age_band"].codes == ["18_25", "26_40", "41_65", "over_65"]
    assert profile.label("region", "cerro_alto", "en") == "Cerro Alto"
    assert profile.group_of["neighbourhood_council"] == "organisations"
    assert [f.key for f in profile.further] == ["education", "occupation"]
    assert profile["gender"] is None and not profile.abroad_codes


def test_the_draft_keeps_perus_lists_in_its_own_bundle(app):
    load_bundle("enia-2021")
    profile = _consultation("enia-2021").profile
    assert len(profile["region"].codes) == 27
    assert profile.abroad_codes == {"abroad"}
    assert profile.label("region", "abroad", "es") == "Fuera del Perú"
    assert profile.group_label("citizens", "es") == "Ciudadanía"


def _no_groups(profile: dict) -> None:
    profile.pop("groups")


def _type_in_unknown_group(profile: dict) -> None:
    profile["fields"][1]["options"][0]["group"] = "nobody"


def _no_stakeholder_type(profile: dict) -> None:
    profile["fields"].pop(1)


def _further_without_prompt(profile: dict) -> None:
    profile["fields"].append(
        {"key": "sector", "options": [{"code": "a", "es": "A", "en": "A"}] * 2}
    )


def _repeated_option(profile: dict) -> None:
    region = profile["fields"][4]
    region["options"][1]["code"] = region["options"][0]["code"]


def _country_as_a_field(profile: dict) -> None:
    profile["fields"].append({"key": "country"})


def _reserved_key(profile: dict) -> None:
    profile["fields"].append(
        {
            "key": "day",
            "prompt": {"es": "Día", "en": "Day"},
            "options": [{"code": "a", "es": "A", "en": "A"}, {"code": "b", "es": "B", "en": "B"}],
        }
    )


BAD_PROFILES = {
    "reserved-key": (_reserved_key, ["profile.yaml", "day", "reports use"]),
    "no-groups": (_no_groups, ["profile.yaml", "groups"]),
    "type-in-unknown-group": (_type_in_unknown_group, ["profile.yaml", "academia", "group"]),
    "no-stakeholder-type": (_no_stakeholder_type, ["profile.yaml", "stakeholder_type"]),
    "further-without-prompt": (_further_without_prompt, ["profile.yaml", "sector", "prompt"]),
    "repeated-option": (_repeated_option, ["profile.yaml", "region", "repeat"]),
    "country-as-a-field": (_country_as_a_field, ["profile.yaml", "country", "abroad"]),
}


@pytest.mark.parametrize("case", BAD_PROFILES, ids=list(BAD_PROFILES))
def test_a_bad_profile_is_refused_with_its_place_and_writes_nothing(app, tmp_path, case):
    breaks, fragments = BAD_PROFILES[case]
    bundle = copy_bundle(tmp_path)
    edit_yaml(bundle / "profile.yaml", breaks)

    with pytest.raises(ContentError) as refused:
        load_bundle(bundle)

    for fragment in fragments:
        assert fragment in str(refused.value)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProfileField)) == 0


def test_a_bundle_without_a_profile_is_refused(app, tmp_path):
    bundle = copy_bundle(tmp_path)
    (bundle / "profile.yaml").unlink()
    with pytest.raises(ContentError, match="profile.yaml: missing"):
        load_bundle(bundle)


def test_a_reload_keeps_answers_and_refuses_to_drop_a_region_in_use(app, tmp_path):
    bundle = copy_bundle(tmp_path)
    load_bundle(bundle, opens=utcnow().replace(year=2020))
    consultation = _consultation()
    start_draft(consultation, {**PROFILE_ACADEMIA, "region": "cusco"})

    def relabel(profile: dict) -> None:
        profile["fields"][4]["options"][1]["es"] = "Cusco (región)"

    edit_yaml(bundle / "profile.yaml", relabel)
    assert "profile region: cusco" in load_bundle(bundle).updated
    db.session.expire_all()
    assert _consultation().profile.label("region", "cusco", "es") == "Cusco (región)"

    edit_yaml(bundle / "profile.yaml", lambda p: p["fields"][4]["options"].pop(1))
    with pytest.raises(ContentError, match="option cusco of profile field region.*1 response"):
        load_bundle(bundle)
    db.session.expire_all()
    assert "cusco" in _consultation().profile["region"].codes


def test_a_reload_may_drop_an_option_nobody_chose(app, tmp_path):
    bundle = copy_bundle(tmp_path)
    load_bundle(bundle)
    edit_yaml(bundle / "profile.yaml", lambda p: p["fields"][4]["options"].pop(1))
    assert load_bundle(bundle).deleted == ["profile region: cusco"]
    codes = db.session.scalars(
        sa.select(ProfileOption.code)
        .join(ProfileField)
        .filter_by(key="region")
        .order_by(ProfileOption.position)
    )
    assert list(codes) == ["lima_metropolitana", "abroad"]
