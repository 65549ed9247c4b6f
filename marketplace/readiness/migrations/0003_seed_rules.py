"""The readiness thresholds as data, each with its source (shared/reference/export-eu.md).

The plot thresholds (point only under 4 ha, 6 decimals, 10 % area tolerance) are e2's, kept in
settings and read through ``marketplace/plots/rules.py`` so plots do not depend on readiness; the
readiness check applies them by calling ``plots.validation``.
"""

from django.db import migrations

RULES = [
    ("photos.min", 3, "Marketplace policy: GPSR Art. 19(c) asks for a picture; 3 show the product"),
    (
        "languages.by_country",
        {"DE": ["de"], "AT": ["de"], "NL": ["nl"], "BE": ["nl", "fr"], "FR": ["fr"],
         "LU": ["fr"], "default": ["en"]},
        "Reg. 1169/2011 Art. 15 and GPSR Art. 19: a language the consumer of the member state "
        "understands; English accepted elsewhere (marketplace policy)",
    ),
    (
        "documents.lab_report.validity_months",
        12,
        "Marketplace policy; contaminant limits Reg. 2023/915 (ochratoxin A, aflatoxins)",
    ),
    (
        "documents.lab_report.hs_prefixes",
        ["0901", "18", "0904", "0905", "0906", "0907", "0908", "0909", "0910"],
        "export-eu.md §4: lab report for coffee, cocoa and spices",
    ),
    ("eudr.cutoff_date", "2020-12-31", "Reg. 2023/1115 Art. 2(13)"),
    (
        "eudr.hs_prefixes",
        ["0901", "1801", "1802", "1803", "1804", "1805", "1806", "44", "9401", "9403"],
        "Reg. 2023/1115 Annex I (coffee, cocoa, wood, furniture)",
    ),
    ("documents.expiry_warning_days", 30, "Issue 7: warn the seller 30 days ahead"),
]


def seed(apps, schema_editor):
    ReadinessRule = apps.get_model("readiness", "ReadinessRule")
    for key, value, source in RULES:
        ReadinessRule.objects.update_or_create(key=key, defaults={"value": value, "source": source})


def unseed(apps, schema_editor):
    apps.get_model("readiness", "ReadinessRule").objects.filter(
        key__in=[key for key, _, _ in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("readiness", "0002_load_hs_codes")]

    operations = [migrations.RunPython(seed, unseed)]
