"""Seed the two import rules: IOSS without flat duty until 30 June 2026, with €3 from 1 July 2026.

Figures from Pasar Kampung's export reference (export-eu.md section 1); operators correct them in
the admin (Taxes > Import rules), each change with its source.
"""

import datetime
from decimal import Decimal

from django.db import migrations

REFERENCE = "Pasar Kampung export reference export-eu.md, section 1 (late 2026)."

RULES = [
    {
        "valid_from": datetime.date(2021, 7, 1),
        "valid_to": datetime.date(2026, 6, 30),
        "ioss_threshold": Decimal("150.00"),
        "duty_per_subheading": Decimal("0.00"),
        "carrier_fee_estimate": Decimal("10.00"),
        "duty_rate_estimate_above_threshold": Decimal("5"),
        "source": (
            "IOSS and the €150 intrinsic-value threshold: EU VAT e-commerce package (Council "
            "Directive 2017/2455, Regulation 2017/2454), in force since 2021-07-01; no customs "
            "duty on IOSS parcels (duty relief ≤ €150). Carrier fee and duty rate: rough "
            f"estimates for the notice shown above the threshold. {REFERENCE}"
        ),
        "confidence": "threshold confirmed; estimates rough",
    },
    {
        "valid_from": datetime.date(2026, 7, 1),
        "valid_to": None,
        "ioss_threshold": Decimal("150.00"),
        "duty_per_subheading": Decimal("3.00"),
        "carrier_fee_estimate": Decimal("12.00"),
        "duty_rate_estimate_above_threshold": Decimal("5"),
        "source": (
            "Flat customs duty of €3 per distinct tariff subheading in a parcel of ≤ €150 sold "
            "through IOSS, from 2026-07-01 until at least 2028-07-01. Carrier fee estimate "
            f"includes the announced EU handling fee of about €2 (verify dates). {REFERENCE}"
        ),
        "confidence": "announced (verify); estimates rough",
    },
]


def load(apps, schema_editor):
    ImportRule = apps.get_model("taxes", "ImportRule")
    for rule in RULES:
        values = dict(rule)
        valid_from = values.pop("valid_from")
        for field in ("ioss_threshold", "duty_per_subheading", "carrier_fee_estimate"):
            values[f"{field}_currency"] = "EUR"
        ImportRule.objects.update_or_create(valid_from=valid_from, defaults=values)


def unload(apps, schema_editor):
    apps.get_model("taxes", "ImportRule").objects.filter(source__endswith=REFERENCE).delete()


class Migration(migrations.Migration):
    dependencies = [("taxes", "0003_importrule")]

    operations = [migrations.RunPython(load, unload)]
