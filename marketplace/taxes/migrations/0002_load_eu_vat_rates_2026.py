"""Load the shipped VAT table (marketplace/taxes/data/eu_vat_rates_2026.csv).

The file travels with the code, so a fresh database has every rate without the reference folder.
Operators change rates afterwards in the admin; this migration only seeds.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "eu_vat_rates_2026.csv"

SOURCE = (
    "EU VAT rates 2026: European Commission TEDB (public copy dated 2026-09-07, raw 2025 export) "
    "and national tax-authority and tax-news pages of 2025–2026, compiled in Pasar Kampung's "
    "reference table eu_vat_rates_2026.csv (see eu_vat_rates_2026.md)."
)

#: Caveats of eu_vat_rates_2026.md that belong to one row.
NOTES = {
    ("CY", "coffee"): "The 0% on coffee may have expired on 2024-09-30 (then 5%): check.",
    ("HR", "coffee"): "Croatia adds a special coffee tax on top of VAT (not included here).",
    ("AT", "coffee"): "Coffee is taxed apart from food in Austria.",
    ("IT", "coffee"): "Coffee is taxed apart from food in Italy.",
    ("PL", "coffee"): "Coffee is taxed apart from food in Poland.",
}


def load(apps, schema_editor):
    VatRate = apps.get_model("taxes", "VatRate")
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["country_code"], row["tax_class"])
            note = NOTES.get(key)
            VatRate.objects.update_or_create(
                country=row["country_code"],
                tax_class=row["tax_class"],
                valid_from=row["valid_from"],
                defaults={
                    "rate": Decimal(row["rate_percent"]),
                    "valid_to": row["valid_to"] or None,
                    "confidence": row["confidence"],
                    "source": f"{SOURCE} {note}" if note else SOURCE,
                },
            )


def unload(apps, schema_editor):
    apps.get_model("taxes", "VatRate").objects.filter(source__startswith=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("taxes", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
