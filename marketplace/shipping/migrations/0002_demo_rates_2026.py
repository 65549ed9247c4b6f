"""Seed couriers, demo tariffs and shipping settings so a fresh database can quote parcels.

The figures are plausible, not official: every row says so in its ``source``, and operators replace
them with the couriers' tariff sheets in the admin. Domestic: JNE REG/YES, J&T EZ, SiCepat REG and
Pos Indonesia Kilat Khusus from Banyuwangi (regency 3510) to all 38 provinces, per kg rounded up.
International: Pos Indonesia "Paket Pos Internasional" (per kg) and EMS (per 500 g) to the 27 EU
member states, in euro net of VAT.
"""

import datetime
from decimal import Decimal

from django.db import migrations

SOURCE = "demo rates, 2026, replace with the courier's tariff"
ORIGIN = "3510"  # Kabupaten Banyuwangi

#: JNE REG per kg from Banyuwangi and its days: the other services are derived from it.
BASE = {
    "11": (52000, 4, 6), "12": (44000, 3, 5), "13": (42000, 3, 5), "14": (41000, 3, 5),
    "15": (40000, 3, 5), "16": (36000, 3, 4), "17": (40000, 3, 5), "18": (31000, 2, 4),
    "19": (38000, 3, 5), "21": (43000, 3, 5), "31": (19000, 2, 3), "32": (19000, 2, 3),
    "33": (16000, 2, 3), "34": (16000, 2, 3), "35": (11000, 1, 2), "36": (20000, 2, 3),
    "51": (12000, 1, 2), "52": (24000, 2, 3), "53": (45000, 3, 5), "61": (42000, 3, 5),
    "62": (40000, 3, 5), "63": (36000, 3, 4), "64": (40000, 3, 5), "65": (52000, 4, 6),
    "71": (55000, 4, 6), "72": (52000, 4, 6), "73": (38000, 3, 4), "74": (50000, 4, 6),
    "75": (55000, 4, 6), "76": (50000, 4, 6), "81": (68000, 4, 7), "82": (72000, 5, 7),
    "91": (88000, 5, 8), "92": (92000, 5, 8), "94": (85000, 4, 7), "95": (110000, 6, 9),
    "96": (115000, 6, 10), "97": (125000, 7, 12),
}  # fmt: skip

#: (courier, service code, service, price factor, extra days, served only below this JNE price)
DOMESTIC = [
    ("jne", "reg", "REG", Decimal("1"), 0, None),
    ("jne", "yes", "YES", Decimal("1.8"), None, 60000),  # next day, big routes only
    ("jnt", "ez", "EZ", Decimal("1.02"), 0, None),
    ("sicepat", "reg", "REG", Decimal("0.95"), 1, 100000),
    ("pos", "kilat", "Kilat Khusus", Decimal("0.9"), 2, None),
]

COURIERS = [
    ("jne", "JNE", True, False),
    ("jnt", "J&T Express", True, False),
    ("sicepat", "SiCepat", True, False),
    ("pos", "Pos Indonesia", True, True),
]

#: Western and northern neighbours of the Netherlands/Germany hub, then the rest (EUR).
ZONE_A = {"AT", "BE", "DE", "DK", "FR", "IT", "LU", "NL", "ES"}
#: (service code, service, first g, first price, step g, step price, max g, days) per zone.
INTERNATIONAL = {
    True: [
        ("parcel", "Paket Pos Internasional", 1000, "18.00", 1000, "8.00", 20000, (10, 25)),
        ("ems", "EMS", 500, "22.00", 500, "6.00", 30000, (5, 10)),
    ],
    False: [
        ("parcel", "Paket Pos Internasional", 1000, "20.00", 1000, "9.00", 20000, (12, 30)),
        ("ems", "EMS", 500, "24.50", 500, "6.50", 30000, (6, 12)),
    ],
}
EU = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
]  # fmt: skip


def rupiah(amount):
    """To the nearest 500 rupiah, as couriers quote."""
    return (Decimal(amount) / 500).quantize(Decimal(1)) * 500


def load(apps, schema_editor):
    Courier = apps.get_model("shipping", "Courier")
    DomesticRate = apps.get_model("shipping", "DomesticRate")
    InternationalRate = apps.get_model("shipping", "InternationalRate")
    ShippingSettings = apps.get_model("shipping", "ShippingSettings")
    couriers = {}
    for code, name, domestic, international in COURIERS:
        couriers[code], _ = Courier.objects.get_or_create(
            code=code,
            defaults={"name": name, "domestic": domestic, "international": international},
        )
    for province, (price, days_min, days_max) in BASE.items():
        for courier, service_code, service, factor, extra_days, below in DOMESTIC:
            if below is not None and price >= below:
                continue
            per_kg = rupiah(price * factor)
            DomesticRate.objects.update_or_create(
                courier=couriers[courier],
                service_code=service_code,
                origin_code=ORIGIN,
                province_code=province,
                defaults={
                    "service": service,
                    "first_weight_grams": 1000,
                    "first_price": per_kg,
                    "first_price_currency": "IDR",
                    "step_grams": 1000,
                    "step_price": per_kg,
                    "step_price_currency": "IDR",
                    "max_weight_grams": 30000,
                    "days_min": 1 if extra_days is None else days_min + extra_days,
                    "days_max": 1 if extra_days is None else days_max + extra_days,
                    "source": SOURCE,
                },
            )
    for country in EU:
        for code, service, first_g, first, step_g, step, max_g, days in INTERNATIONAL[
            country in ZONE_A
        ]:
            InternationalRate.objects.update_or_create(
                courier=couriers["pos"],
                service_code=code,
                country=country,
                defaults={
                    "service": service,
                    "first_weight_grams": first_g,
                    "first_price": Decimal(first),
                    "first_price_currency": "EUR",
                    "step_grams": step_g,
                    "step_price": Decimal(step),
                    "step_price_currency": "EUR",
                    "max_weight_grams": max_g,
                    "days_min": days[0],
                    "days_max": days[1],
                    "source": SOURCE,
                },
            )
    ShippingSettings.objects.get_or_create(
        valid_from=datetime.date(2026, 1, 1),
        defaults={
            "packaging_grams_per_parcel": 150,
            "packaging_grams_per_item": 20,
            "default_item_weight_grams": 500,
            "note": "Demo values: a small carton (150 g) and a wrapping per unit (20 g).",
        },
    )


def unload(apps, schema_editor):
    apps.get_model("shipping", "DomesticRate").objects.filter(source=SOURCE).delete()
    apps.get_model("shipping", "InternationalRate").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("shipping", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
