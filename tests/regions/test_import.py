"""Importing regions from the official CSV: idempotent, all or nothing, line-numbered errors."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from marketplace.regions.importer import BANYUWANGI_CSV, RegionImportError, import_regions
from marketplace.regions.models import Region

pytestmark = pytest.mark.django_db

GOOD = """code,parent_code,level,name
35,,province,JAWA TIMUR
3510,35,regency,KABUPATEN BANYUWANGI
3510170,3510,district,GLAGAH
3510170012,3510170,village,KEMIREN
3510170018,3510170,village,KAMPUNGANYAR
"""


def test_the_shipped_banyuwangi_file_loads_whole(tmp_path: Path) -> None:
    out = StringIO()
    call_command("import_regions", str(BANYUWANGI_CSV), stdout=out)
    assert "243 created" in out.getvalue()
    assert Region.objects.filter(level="district").count() == 24
    assert Region.objects.filter(level="village").count() == 217
    kemiren = Region.objects.get(code="3510170012")
    assert kemiren.parent.name == "GLAGAH"
    assert kemiren.parent.parent.parent.code == "35"
    assert kemiren.display_name == "Kemiren"


def test_a_second_import_changes_nothing() -> None:
    import_regions(GOOD)
    ids = dict(Region.objects.values_list("code", "pk"))
    result = import_regions(GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert dict(Region.objects.values_list("code", "pk")) == ids


def test_a_renamed_village_is_updated_in_place() -> None:
    import_regions(GOOD)
    result = import_regions(GOOD.replace("KEMIREN", "KEMIREN OSING"))
    assert (result.created, result.updated) == (0, 1)
    assert Region.objects.get(code="3510170012").name == "KEMIREN OSING"


def test_another_regency_can_be_added_under_a_stored_province() -> None:
    import_regions(GOOD)
    result = import_regions(
        "code,parent_code,level,name\n3509,35,regency,KABUPATEN JEMBER\n"
        "3509010,3509,district,KENCONG\n"
    )
    assert result.created == 2
    assert Region.objects.get(code="3509010").parent.parent.code == "35"


def test_one_bad_parent_code_writes_nothing_and_names_the_line(tmp_path: Path) -> None:
    bad = GOOD.replace("3510170018,3510170,", "3510170018,3510999,")
    path = tmp_path / "bad.csv"
    path.write_text(bad)
    with pytest.raises(CommandError) as exc:
        call_command("import_regions", str(path), stdout=StringIO())
    assert "Baris 6: kode induk 3510999 tidak dikenal." in str(exc.value)
    assert not Region.objects.exists()


def test_bad_levels_and_codes_are_all_reported_with_their_lines() -> None:
    bad = (
        "code,parent_code,level,name\n35,,province,JAWA TIMUR\n"
        "3510,35,kabupaten,BANYUWANGI\n"  # line 3: unknown level
        "351,35,regency,TOO SHORT\n"  # line 4: wrong code length
        "3511017,35,district,SKIPS A LEVEL\n"  # line 5: parent is a province
    )
    with pytest.raises(RegionImportError) as exc:
        import_regions(bad)
    lines = [e.split(":")[0] for e in exc.value.errors]
    assert lines == ["Baris 3", "Baris 4", "Baris 5"]
    assert not Region.objects.exists()


def test_a_duplicate_code_is_refused() -> None:
    with pytest.raises(RegionImportError) as exc:
        import_regions(GOOD + "3510170012,3510170,village,KEMIREN LAGI\n")
    assert exc.value.errors[0].startswith("Baris 7")
    assert not Region.objects.exists()


def test_a_wrong_header_is_refused() -> None:
    with pytest.raises(RegionImportError):
        import_regions("kode,induk,tingkat,nama\n35,,province,JAWA TIMUR\n")


def test_a_failure_after_earlier_imports_keeps_them_intact() -> None:
    import_regions(GOOD)
    with pytest.raises(RegionImportError):
        import_regions(GOOD.replace("KEMIREN", "KEMIREN BARU") + "9,,province,X\n")
    assert Region.objects.get(code="3510170012").name == "KEMIREN"
