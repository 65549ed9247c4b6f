"""Seed the category tree with what village producers in Banyuwangi sell."""

from django.db import migrations

# slug, Indonesian, English, German, is_food, EUDR commodity, default HS heading, tax class
SEED = [
    ("kopi", "Kopi", "Coffee", "Kaffee", True, "coffee", "0901", "coffee"),
    ("kakao-cokelat", "Kakao dan cokelat", "Cocoa and chocolate", "Kakao und Schokolade", True,
     "cocoa", "1806", "food"),
    ("rempah", "Rempah-rempah", "Spices", "Gewürze", True, "", "0910", "food"),
    ("batik-tekstil", "Batik dan tekstil", "Batik and textiles", "Batik und Textilien", False, "",
     "5208", "standard"),
    ("kerajinan-bambu", "Kerajinan bambu", "Bamboo crafts", "Bambushandwerk", False, "", "4602",
     "standard"),
    ("kerajinan-kayu", "Kerajinan kayu", "Wood crafts", "Holzhandwerk", False, "wood", "4420",
     "standard"),
    ("makanan-olahan", "Makanan olahan", "Processed food", "Verarbeitete Lebensmittel", True, "",
     "2106", "food"),
    ("lainnya", "Lainnya", "Other", "Sonstiges", False, "", "", "standard"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    for position, (slug, name_id, name_en, name_de, food, eudr, hs, tax) in enumerate(SEED):
        Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name_id, "name_ind": name_id, "name_en": name_en, "name_de": name_de,
                "position": position, "is_food": food, "eudr_commodity": eudr,
                "default_hs_heading": hs, "tax_class": tax,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
