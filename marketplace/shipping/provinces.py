"""Indonesia's 38 provinces with their BPS codes: the destinations of domestic shipping rates.

Couriers price a parcel by destination province (and city), and an address names its province, so
both use this one list. Codes are Statistics Indonesia's (BPS) two-digit province codes, which the
regency, district and village codes of the region tree start with (``3510`` Banyuwangi is in
``35`` Jawa Timur).

The 2022 Papua split (UU 14-16/2022 and UU 29/2022) added four provinces. For them BPS and the
Ministry of Home Affairs (Kemendagri) use different numbers: BPS keeps ``91`` Papua Barat and
``94`` Papua and numbers the new ones ``92``, ``95``, ``96``, ``97``, whereas Kemendagri renumbered
all six (``91`` Papua … ``96`` Papua Barat Daya). Everywhere else the two agree.
``from_kemendagri`` translates a Kemendagri code, so a region tree imported from Kemendagri data
still finds its rates. The list changes only by law, so it is a constant, not a table.
"""

from __future__ import annotations

from typing import NamedTuple


class Province(NamedTuple):
    code: str  # BPS, two digits
    name: str


PROVINCES: tuple[Province, ...] = (
    Province("11", "Aceh"),
    Province("12", "Sumatera Utara"),
    Province("13", "Sumatera Barat"),
    Province("14", "Riau"),
    Province("15", "Jambi"),
    Province("16", "Sumatera Selatan"),
    Province("17", "Bengkulu"),
    Province("18", "Lampung"),
    Province("19", "Kepulauan Bangka Belitung"),
    Province("21", "Kepulauan Riau"),
    Province("31", "DKI Jakarta"),
    Province("32", "Jawa Barat"),
    Province("33", "Jawa Tengah"),
    Province("34", "DI Yogyakarta"),
    Province("35", "Jawa Timur"),
    Province("36", "Banten"),
    Province("51", "Bali"),
    Province("52", "Nusa Tenggara Barat"),
    Province("53", "Nusa Tenggara Timur"),
    Province("61", "Kalimantan Barat"),
    Province("62", "Kalimantan Tengah"),
    Province("63", "Kalimantan Selatan"),
    Province("64", "Kalimantan Timur"),
    Province("65", "Kalimantan Utara"),
    Province("71", "Sulawesi Utara"),
    Province("72", "Sulawesi Tengah"),
    Province("73", "Sulawesi Selatan"),
    Province("74", "Sulawesi Tenggara"),
    Province("75", "Gorontalo"),
    Province("76", "Sulawesi Barat"),
    Province("81", "Maluku"),
    Province("82", "Maluku Utara"),
    Province("91", "Papua Barat"),
    Province("92", "Papua Barat Daya"),
    Province("94", "Papua"),
    Province("95", "Papua Selatan"),
    Province("96", "Papua Tengah"),
    Province("97", "Papua Pegunungan"),
)

BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}

#: Choices for a form or model field (names are proper nouns: not translated).
PROVINCE_CHOICES: list[tuple[str, str]] = [(p.code, p.name) for p in PROVINCES]

#: Kemendagri's Papua codes since 2022 → BPS codes (the other 32 provinces share their codes).
_KEMENDAGRI_PAPUA = {"91": "94", "92": "91", "93": "95", "94": "96", "95": "97", "96": "92"}


def province(code: str) -> Province | None:
    """The province with BPS code ``code`` (or any region code starting with it), else ``None``."""
    return BY_CODE.get(code.strip()[:2])


def province_name(code: str) -> str:
    """The province's name, or "" for an unknown code."""
    found = province(code)
    return found.name if found else ""


def is_province_code(code: str) -> bool:
    return code in BY_CODE


def from_kemendagri(code: str) -> str:
    """The BPS province code for a Kemendagri region or province code (``"96…"`` → ``"92"``)."""
    prefix = code.strip()[:2]
    return _KEMENDAGRI_PAPUA.get(prefix, prefix)
