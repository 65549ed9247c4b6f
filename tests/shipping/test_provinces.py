"""The province list addresses and domestic rates share."""

from __future__ import annotations

from marketplace.shipping.provinces import (
    PROVINCES,
    from_kemendagri,
    is_province_code,
    province,
    province_name,
)


def test_all_38_provinces_with_unique_bps_codes() -> None:
    assert len(PROVINCES) == 38
    assert len({p.code for p in PROVINCES}) == 38
    assert len({p.name for p in PROVINCES}) == 38
    assert all(len(p.code) == 2 and p.code.isdigit() for p in PROVINCES)


def test_known_codes() -> None:
    assert province_name("11") == "Aceh"
    assert province_name("35") == "Jawa Timur"
    assert province_name("94") == "Papua"
    # The provinces created in 2022, with BPS's numbers.
    assert province_name("92") == "Papua Barat Daya"
    assert province_name("95") == "Papua Selatan"
    assert province_name("96") == "Papua Tengah"
    assert province_name("97") == "Papua Pegunungan"
    assert province_name("99") == ""
    assert not is_province_code("3510")


def test_a_region_code_names_its_province() -> None:
    found = province("3510170012")  # Kemiren, Glagah, Banyuwangi
    assert found is not None and found.name == "Jawa Timur"


def test_kemendagri_papua_codes_are_translated() -> None:
    assert from_kemendagri("91") == "94"  # Kemendagri 91 is Papua
    assert from_kemendagri("9601") == "92"  # a regency of Papua Barat Daya
    assert from_kemendagri("3510") == "35"  # elsewhere the codes agree
