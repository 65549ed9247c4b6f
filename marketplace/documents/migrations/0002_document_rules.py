"""How long documents without an expiry date count, with where each figure comes from."""

from django.db import migrations

RULES = [
    (
        "lab_report",
        12,
        "Marketplace policy: a lab report (ochratoxin A, aflatoxins; Reg. (EU) 2023/915) counts "
        "12 months from its date unless it states an expiry (shared/reference/export-eu.md §4).",
    ),
    (
        "pirt",
        60,
        "P-IRT registration is valid 5 years (BPOM Reg. 22/2018; shared/reference/export-eu.md §7).",
    ),
    (
        "phytosanitary",
        None,
        "Issued per consignment with its own validity date (Barantin); enter the expiry date.",
    ),
    ("halal", None, "BPJPH certificates state their own validity; enter the expiry date if any."),
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    DocumentRule = apps.get_model("documents", "DocumentRule")
    for kind, months, source in RULES:
        DocumentRule.objects.update_or_create(
            kind=kind, defaults={"validity_months": months, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
