"""The first row of customs figures, each with its source (operators add dated rows later)."""

import datetime
from decimal import Decimal

from django.db import migrations

SOURCE = (
    "PEB above 30 kg: PMK 4/2025 (parcel of a business on the CN note up to 30 kg); REX above "
    "EUR 6,000: EU GSP rules of origin, Reg. (EU) 2015/2446 art. 92 (statement on origin by any "
    "exporter up to EUR 6,000). See shared/reference/export-eu.md §5. IOSS and REX numbers: set "
    "by operators once registered."
)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    CustomsSettings = apps.get_model("customs", "CustomsSettings")
    CustomsSettings.objects.get_or_create(
        valid_from=datetime.date(2026, 1, 1),
        defaults={
            "peb_threshold_grams": 30_000,
            "rex_threshold": Decimal("6000"),
            "rex_threshold_currency": "EUR",
            "source": SOURCE,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("customs", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
