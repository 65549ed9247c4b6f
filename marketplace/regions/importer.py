"""Importing regions from the official CSV format (``code,parent_code,level,name``).

Any regency in that format can be loaded. The whole file is checked before anything is written, and
the write is one transaction: a file with one bad line leaves the database as it was and the error
names the line. Loading the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import CODE_LENGTH, PARENT_LEVEL, Region, RegionLevel

EXPECTED_HEADER = ["code", "parent_code", "level", "name"]


@dataclass(frozen=True)
class RegionRow:
    line: int
    code: str
    parent_code: str
    level: str
    name: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class RegionImportError(Exception):
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(self.errors)


def parse(text: str) -> list[RegionRow]:
    """Read the rows; raise ``RegionImportError`` naming each bad line."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != EXPECTED_HEADER:
        raise RegionImportError([_("Line 1: the header must be: code,parent_code,level,name.")])
    rows: list[RegionRow] = []
    errors: list[str] = []
    for line_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != 4:
            errors.append(
                _("Line %(line)d: expected 4 columns, found %(n)d.")
                % {"line": line_no, "n": len(cells)}
            )
            continue
        code, parent_code, level, name = (c.strip() for c in cells)
        rows.append(RegionRow(line_no, code, parent_code, level.lower(), name))
    if errors:
        raise RegionImportError(errors)
    return rows


def validate(rows: list[RegionRow]) -> None:
    """Check every row against the file and the regions already stored."""
    errors: list[str] = []
    in_file: dict[str, RegionRow] = {}
    for row in rows:
        if row.code in in_file:
            errors.append(
                _("Line %(line)d: code %(code)s appears twice (first on line %(first)d).")
                % {"line": row.line, "code": row.code, "first": in_file[row.code].line}
            )
            continue
        in_file[row.code] = row
    parent_codes = {r.parent_code for r in rows if r.parent_code} - set(in_file)
    stored_levels = dict(Region.objects.filter(code__in=parent_codes).values_list("code", "level"))
    for row in rows:
        where = {"line": row.line, "code": row.code}
        if row.level not in RegionLevel.values:
            errors.append(
                _(
                    "Line %(line)d: unknown level “%(level)s” (use province, regency, district or "
                    "village)."
                )
                % {**where, "level": row.level}
            )
            continue
        if not row.code.isdigit() or len(row.code) != CODE_LENGTH[row.level]:
            errors.append(
                _("Line %(line)d: code %(code)s is not a %(level)s code of %(n)d digits.")
                % {**where, "level": row.level, "n": CODE_LENGTH[row.level]}
            )
        if not row.name:
            errors.append(_("Line %(line)d: the name is empty.") % where)
        expected_parent = PARENT_LEVEL[row.level]
        if expected_parent is None:
            if row.parent_code:
                errors.append(_("Line %(line)d: a province has no parent code.") % where)
            continue
        parent_level = (
            in_file[row.parent_code].level
            if row.parent_code in in_file
            else stored_levels.get(row.parent_code)
        )
        if parent_level is None:
            errors.append(
                _("Line %(line)d: unknown parent code %(parent)s.")
                % {**where, "parent": row.parent_code or "—"}
            )
        elif parent_level != expected_parent:
            errors.append(
                _(
                    "Line %(line)d: the parent of a %(level)s must be a %(expected)s, but "
                    "%(parent)s is a %(actual)s."
                )
                % {
                    **where,
                    "level": row.level,
                    "expected": expected_parent,
                    "parent": row.parent_code,
                    "actual": parent_level,
                }
            )
        elif not row.code.startswith(row.parent_code):
            errors.append(
                _("Line %(line)d: code %(code)s does not start with its parent's code %(parent)s.")
                % {**where, "parent": row.parent_code}
            )
    if errors:
        raise RegionImportError(errors)


_LEVEL_ORDER = list(PARENT_LEVEL)


@transaction.atomic
def import_regions(text: str) -> ImportResult:
    """Validate then write all rows, parents before children; all or nothing."""
    rows = parse(text)
    validate(rows)
    result = ImportResult()
    existing = {r.code: r for r in Region.objects.filter(code__in=[r.code for r in rows])}
    parents = {
        r.code: r
        for r in Region.objects.filter(code__in={r.parent_code for r in rows if r.parent_code})
    }
    for row in sorted(rows, key=lambda r: (_LEVEL_ORDER.index(r.level), r.code)):
        parent = parents.get(row.parent_code) if row.parent_code else None
        region = existing.get(row.code)
        if region is None:
            region = Region.objects.create(
                code=row.code, parent=parent, level=row.level, name=row.name
            )
            result.created += 1
        elif (region.parent_id, region.level, region.name) != (
            parent.pk if parent else None,
            row.level,
            row.name,
        ):
            region.parent, region.level, region.name = parent, row.level, row.name
            region.save(update_fields=["parent", "level", "name"])
            result.updated += 1
        else:
            result.unchanged += 1
        parents[row.code] = region
    return result


def import_regions_file(path: Path) -> ImportResult:
    return import_regions(path.read_text(encoding="utf-8-sig"))


BANYUWANGI_CSV = Path(__file__).with_name("data") / "banyuwangi_regions.csv"
