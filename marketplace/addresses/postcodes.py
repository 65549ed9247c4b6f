"""Postal codes of the EU member states: one pattern per country, and the spelling we store.

Why a table of our own: no maintained library validates EU postal codes as a whole.
``postal-codes-tools`` (last release 2023) and ``postcode-validator`` (2021) are unmaintained;
django-localflavor is maintained but offers one differently behaved form field per country, not
all 27 states, and no single function to call. The formats below are the Universal Postal Union's
(format only: whether the code exists is the carrier's business). Buyers type codes in many ways
("1234ab", "lt-01100", "00950"), so ``normalise_postcode`` accepts the common spellings and returns
the one printed on a parcel label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PostcodeRule:
    pattern: re.Pattern[str]  # matched against the upper-cased code with spaces collapsed
    example: str
    joiner: str = ""  # between the pattern's groups in the stored spelling


def _rule(pattern: str, example: str, joiner: str = "") -> PostcodeRule:
    return PostcodeRule(re.compile(rf"^{pattern}$"), example, joiner)


_FOUR = r"(\d{4})"
_FIVE = r"(\d{5})"
_THREE_TWO = r"(\d{3}) ?(\d{2})"

RULES: dict[str, PostcodeRule] = {
    "AT": _rule(_FOUR, "1010"),
    "BE": _rule(r"([1-9]\d{3})", "1000"),
    "BG": _rule(_FOUR, "1000"),
    "CY": _rule(_FOUR, "1010"),
    "CZ": _rule(_THREE_TWO, "110 00", " "),
    "DE": _rule(_FIVE, "10115"),
    "DK": _rule(r"(?:DK-?)?(\d{4})", "1050"),
    "EE": _rule(_FIVE, "10111"),
    "ES": _rule(r"((?:0[1-9]|[1-4]\d|5[0-2])\d{3})", "28001"),
    "FI": _rule(r"(?:FI-?)?(\d{5})", "00100"),
    "FR": _rule(r"(\d{2} ?\d{3})", "75001"),
    "GR": _rule(_THREE_TWO, "105 57", " "),
    "HR": _rule(r"(?:HR-?)?(\d{5})", "10000"),
    "HU": _rule(r"([1-9]\d{3})", "1011"),
    "IE": _rule(r"([AC-FHKNPRTV-Y]\d{2}|D6W) ?([0-9AC-FHKNPRTV-Y]{4})", "D02 X285", " "),
    "IT": _rule(_FIVE, "00184"),
    "LT": _rule(r"(?:LT-?)?(\d{5})", "01100"),
    "LU": _rule(r"(?:L-?)?(\d{4})", "1009"),
    "LV": _rule(r"(?:LV-?)?(\d{4})", "LV-1050"),
    "MT": _rule(r"([A-Z]{3}) ?(\d{4})", "VLT 1117", " "),
    "NL": _rule(r"([1-9]\d{3}) ?((?!SA|SD|SS)[A-Z]{2})", "1012 AB", " "),
    "PL": _rule(r"(\d{2})-?(\d{3})", "00-950", "-"),
    "PT": _rule(r"(\d{4})-?(\d{3})", "1000-001", "-"),
    "RO": _rule(r"(\d{6})", "010011"),
    "SE": _rule(r"(?:SE-?)?(\d{3}) ?(\d{2})", "111 22", " "),
    "SI": _rule(r"(?:SI-?)?(\d{4})", "1000"),
    "SK": _rule(_THREE_TWO, "811 01", " "),
    "ID": _rule(r"([1-9]\d{4})", "68411"),
}

#: Latvian codes are written with their prefix ("LV-1050") on letters; the others without.
_PREFIXED = {"LV": "LV-"}


def normalise_postcode(country: str, raw: str) -> str | None:
    """The code as it is printed on a label, or ``None`` if it does not fit the country's format.

    A country without a rule (we do not ship there) gets the trimmed input back.
    """
    text = " ".join(raw.upper().split())
    rule = RULES.get(country.upper())
    if rule is None:
        return text or None
    match = rule.pattern.match(text)
    if match is None:
        return None
    code = rule.joiner.join(g.replace(" ", "") for g in match.groups() if g is not None)
    return _PREFIXED.get(country.upper(), "") + code


def example_postcode(country: str) -> str:
    rule = RULES.get(country.upper())
    return rule.example if rule else ""
