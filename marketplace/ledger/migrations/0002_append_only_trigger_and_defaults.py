"""The ledger is append-only in the database too, and starts with a default commission.

On PostgreSQL a trigger refuses UPDATE and DELETE on ``ledger_ledgerentry``, so not even a bulk
``update()`` or raw SQL can rewrite history (TRUNCATE, used only by test flushes, is not a row
operation). SQLite (embedded use) relies on the model's guards.
"""

import datetime
from decimal import Decimal

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_ledgerentry;
CREATE TRIGGER ledger_entry_append_only
    BEFORE UPDATE OR DELETE ON ledger_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_ledgerentry;
DROP FUNCTION IF EXISTS ledger_entry_append_only();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


def defaults(apps, schema_editor):
    CommissionRate = apps.get_model("ledger", "CommissionRate")
    LedgerSettings = apps.get_model("ledger", "LedgerSettings")
    if not CommissionRate.objects.filter(category__isnull=True).exists():
        CommissionRate.objects.create(
            category=None,
            rate=Decimal("5.00"),
            valid_from=datetime.date(2026, 1, 1),
            note="Initial default; operators change it in the admin.",
        )
    LedgerSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(defaults, migrations.RunPython.noop),
    ]
