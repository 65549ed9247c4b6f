"""Load the HS 2022 table (chapters, headings, subheadings) from data/hs2022.csv, in bulk."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "hs2022.csv"


def load(apps, schema_editor):
    HsCode = apps.get_model("readiness", "HsCode")
    with CSV.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["level"] in ("2", "4", "6")]
    # Parents come first by level, so one bulk insert per level keeps every FK valid.
    for level in ("2", "4", "6"):
        HsCode.objects.bulk_create(
            [
                HsCode(
                    code=row["hscode"],
                    level=int(level),
                    description=row["description"],
                    parent_id=None if row["parent"] == "TOTAL" else row["parent"],
                )
                for row in rows
                if row["level"] == level
            ],
            batch_size=1000,
        )


def unload(apps, schema_editor):
    apps.get_model("readiness", "HsCode").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("readiness", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
