"""Demo shops and listings in real Banyuwangi villages.

The shops are invented; the places and what they are known for are real (Osing coffee in Kemiren,
coffee on the slopes of Licin and Kalipuro, cocoa around Glenmore, bamboo crafts in Gintangan,
Gajah Oling batik in town). Every listing has Indonesian and English text; a few have German.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    category: str
    title_id: str
    title_en: str
    description_id: str
    description_en: str
    #: (variant name, options, price in IDR, EUR export price or None, weight in grams)
    variants: tuple[tuple[str, dict[str, str], int, str | None, int], ...]
    title_de: str = ""


@dataclass(frozen=True)
class DemoShop:
    slug: str
    name: str
    village_code: str
    story: str
    items: tuple[str, ...]
    extra: dict[str, str] = field(default_factory=dict)


ROAST_DE = {"light": "helle", "medium": "mittlere", "dark": "dunkle"}


def _coffee(roast_id: str, roast_en: str, bean: str) -> Item:
    return Item(
        "kopi",
        f"Kopi {bean} sangrai {roast_id}",
        f"{bean} coffee, {roast_en} roast",
        f"Biji kopi {bean.lower()} petik merah dari kebun lereng Ijen, dijemur di para-para bambu "
        f"dan disangrai {roast_id} dalam jumlah kecil. Cocok untuk tubruk maupun V60.",
        f"Red-cherry {bean.lower()} beans from gardens on the slopes of Ijen, dried on raised "
        f"bamboo beds and {roast_en}-roasted in small batches. "
        "Good for Indonesian tubruk or a V60.",
        (
            (
                "250 g biji",
                {"weight": "250 g", "roast": roast_en, "size": "whole bean"},
                65_000,
                "9.50",
                270,
            ),
            (
                "250 g bubuk",
                {"weight": "250 g", "roast": roast_en, "size": "ground"},
                65_000,
                "9.50",
                270,
            ),
            (
                "1 kg biji",
                {"weight": "1 kg", "roast": roast_en, "size": "whole bean"},
                230_000,
                "29.00",
                1050,
            ),
        ),
        title_de=f"{bean}-Kaffee, {ROAST_DE[roast_en]} Röstung",
    )


ITEMS: dict[str, Item] = {
    "robusta-medium": _coffee("sedang", "medium", "Robusta"),
    "robusta-dark": _coffee("gelap", "dark", "Robusta"),
    "arabika-light": _coffee("terang", "light", "Arabika"),
    "arabika-medium": _coffee("sedang", "medium", "Arabika"),
    "lanang": Item(
        "kopi",
        "Kopi lanang (peaberry) Osing",
        "Osing peaberry coffee (kopi lanang)",
        "Biji tunggal yang dipilih satu per satu oleh ibu-ibu Kemiren. Rasa cokelat dan rempah.",
        "Single round beans picked out one by one by the women of Kemiren. Notes of chocolate "
        "and spice.",
        (("200 g biji", {"weight": "200 g", "size": "whole bean"}, 85_000, "12.00", 220),),
        title_de="Osing-Perlbohnenkaffee (Kopi Lanang)",
    ),
    "cocoa-nibs": Item(
        "kakao-cokelat",
        "Nib kakao fermentasi Glenmore",
        "Fermented cocoa nibs from Glenmore",
        "Biji kakao difermentasi lima hari, dijemur, disangrai lalu dipecah. Untuk taburan dan "
        "minuman.",
        "Cocoa beans fermented for five days, sun-dried, roasted and cracked. For toppings and "
        "drinks.",
        (
            ("150 g", {"weight": "150 g"}, 45_000, "7.00", 170),
            ("500 g", {"weight": "500 g"}, 135_000, "19.00", 540),
        ),
        title_de="Fermentierte Kakaonibs aus Glenmore",
    ),
    "chocolate-bar": Item(
        "kakao-cokelat",
        "Cokelat batang 70% kakao Glenmore",
        "Glenmore 70% dark chocolate bar",
        "Cokelat hitam dari kakao kebun sendiri, gula kelapa, tanpa pengawet.",
        "Dark chocolate from our own cocoa with coconut sugar and no preservatives.",
        (
            ("1 batang 80 g", {"weight": "80 g"}, 30_000, "5.50", 100),
            ("isi 5", {"weight": "5 x 80 g"}, 140_000, "24.00", 480),
        ),
    ),
    "cocoa-powder": Item(
        "kakao-cokelat",
        "Bubuk kakao murni",
        "Pure cocoa powder",
        "Bubuk kakao tanpa campuran gula, untuk kue dan minuman.",
        "Unsweetened cocoa powder for baking and drinks.",
        (("250 g", {"weight": "250 g"}, 40_000, "6.00", 270),),
    ),
    "cloves": Item(
        "rempah",
        "Cengkih kering pilihan",
        "Hand-picked dried cloves",
        "Cengkih dari kebun di lereng Gunung Raung, dipetik sebelum mekar dan dijemur tiga hari.",
        "Cloves from gardens on Mount Raung, picked before they open and sun-dried for three days.",
        (
            ("100 g", {"weight": "100 g"}, 25_000, "4.50", 120),
            ("500 g", {"weight": "500 g"}, 110_000, "16.00", 530),
        ),
        title_de="Handverlesene getrocknete Nelken",
    ),
    "nutmeg": Item(
        "rempah",
        "Pala utuh",
        "Whole nutmeg",
        "Biji pala utuh dengan fuli, wangi dan segar. Parut secukupnya untuk masakan.",
        "Whole nutmeg with its mace, fragrant and fresh. Grate as needed.",
        (("100 g", {"weight": "100 g"}, 30_000, "5.00", 120),),
    ),
    "ginger-drink": Item(
        "makanan-olahan",
        "Jahe merah instan",
        "Instant red ginger drink",
        "Minuman serbuk jahe merah dan gula aren, hangat untuk badan.",
        "Powdered red ginger with palm sugar, a warming drink.",
        (("isi 10 sachet", {"weight": "10 x 20 g"}, 25_000, None, 230),),
    ),
    "pecel-sauce": Item(
        "makanan-olahan",
        "Sambal pecel khas Banyuwangi",
        "Banyuwangi peanut pecel sauce",
        "Bumbu kacang pedas untuk pecel dan rujak soto, resep keluarga sejak 1980.",
        "Spicy peanut sauce for pecel and rujak soto, a family recipe since 1980.",
        (
            ("250 g", {"weight": "250 g"}, 20_000, None, 270),
            ("500 g", {"weight": "500 g"}, 38_000, None, 520),
        ),
    ),
    "batik-cloth": Item(
        "batik-tekstil",
        "Kain batik tulis Gajah Oling",
        "Hand-drawn Gajah Oling batik cloth",
        "Batik tulis motif Gajah Oling, warna alam, dikerjakan dua minggu oleh pembatik "
        "Temenggungan.",
        "Hand-drawn batik with the Gajah Oling motif in natural dyes, two weeks of work by a "
        "Temenggungan batik maker.",
        (
            (
                "2 m, merah bata",
                {"size": "2 m x 1.15 m", "colour": "brick red"},
                450_000,
                "45.00",
                350,
            ),
            (
                "2 m, biru indigo",
                {"size": "2 m x 1.15 m", "colour": "indigo"},
                475_000,
                "47.00",
                350,
            ),
        ),
        title_de="Handgezeichneter Gajah-Oling-Batikstoff",
    ),
    "batik-shirt": Item(
        "batik-tekstil",
        "Kemeja batik cap Gajah Oling",
        "Gajah Oling stamped batik shirt",
        "Kemeja katun lengan pendek dengan batik cap motif Gajah Oling.",
        "Short-sleeved cotton shirt with stamped Gajah Oling batik.",
        (
            ("M", {"size": "M", "colour": "brown"}, 185_000, "22.00", 250),
            ("L", {"size": "L", "colour": "brown"}, 185_000, "22.00", 260),
            ("XL", {"size": "XL", "colour": "brown"}, 195_000, "23.00", 270),
        ),
    ),
    "batik-scarf": Item(
        "batik-tekstil",
        "Selendang batik sutra",
        "Silk batik scarf",
        "Selendang sutra dengan motif kangkung setingkes.",
        "Silk scarf with the kangkung setingkes motif.",
        (("biru", {"colour": "blue", "size": "180 x 45 cm"}, 250_000, "28.00", 120),),
    ),
    "bamboo-basket": Item(
        "kerajinan-bambu",
        "Keranjang anyaman bambu Gintangan",
        "Gintangan woven bamboo basket",
        "Anyaman bambu halus khas Gintangan, kuat untuk buah dan roti.",
        "Fine bamboo weaving from Gintangan, sturdy enough for fruit and bread.",
        (
            ("kecil", {"size": "20 cm"}, 55_000, "8.00", 300),
            ("besar", {"size": "35 cm"}, 95_000, "13.00", 550),
        ),
        title_de="Geflochtener Bambuskorb aus Gintangan",
    ),
    "bamboo-lamp": Item(
        "kerajinan-bambu",
        "Kap lampu bambu",
        "Bamboo lampshade",
        "Kap lampu anyaman bambu dengan pola cahaya yang hangat.",
        "Woven bamboo lampshade that throws a warm pattern of light.",
        (("30 cm", {"size": "30 cm"}, 150_000, "19.00", 600),),
    ),
    "bamboo-straws": Item(
        "kerajinan-bambu",
        "Sedotan bambu isi 10",
        "Bamboo straws, set of 10",
        "Sedotan bambu alami dengan sikat pembersih, pengganti sedotan plastik.",
        "Natural bamboo straws with a cleaning brush, instead of plastic ones.",
        (("isi 10", {"size": "20 cm"}, 35_000, "5.00", 120),),
    ),
    "wood-bowl": Item(
        "kerajinan-kayu",
        "Mangkuk kayu sono",
        "Rosewood bowl",
        "Mangkuk kayu sono keling dari kayu sisa mebel, dihaluskan dan diminyaki.",
        "Bowl turned from rosewood off-cuts of furniture making, sanded and oiled.",
        (
            ("diameter 15 cm", {"size": "15 cm"}, 120_000, "16.00", 400),
            ("diameter 25 cm", {"size": "25 cm"}, 210_000, "26.00", 800),
        ),
        title_de="Schale aus Palisanderholz",
    ),
    "wood-mask": Item(
        "kerajinan-kayu",
        "Topeng kayu Barong Osing",
        "Osing Barong wooden mask",
        "Topeng ukir Barong Osing, dicat tangan.",
        "Carved Osing Barong mask, hand-painted.",
        (("30 cm", {"size": "30 cm"}, 350_000, "39.00", 900),),
    ),
    "wood-spoons": Item(
        "kerajinan-kayu",
        "Sendok kayu set 3",
        "Wooden spoons, set of 3",
        "Sendok masak kayu mahoni, aman untuk makanan.",
        "Mahogany cooking spoons, food-safe finish.",
        (("set 3", {"size": "25 cm"}, 60_000, "9.00", 200),),
    ),
}

COFFEE = ("robusta-medium", "robusta-dark", "arabika-light", "arabika-medium", "lanang")
COCOA = ("cocoa-nibs", "chocolate-bar", "cocoa-powder")
SPICE = ("cloves", "nutmeg", "ginger-drink", "pecel-sauce")
BATIK = ("batik-cloth", "batik-shirt", "batik-scarf")
BAMBOO = ("bamboo-basket", "bamboo-lamp", "bamboo-straws")
WOOD = ("wood-bowl", "wood-mask", "wood-spoons")


def _shops() -> list[DemoShop]:
    specs = [
        # slug, name, village code, items, story
        (
            "kopi-osing-kemiren",
            "Kopi Osing Kemiren",
            "3510170012",
            COFFEE + SPICE[:2],
            "Keluarga petani kopi Osing di Kemiren. Kami menyangrai di dapur sendiri.",
        ),
        (
            "sanggar-kopi-jambesari",
            "Sanggar Kopi Jambesari",
            "3510190001",
            COFFEE[:4],
            "Kelompok tani muda yang belajar pemasaran online di balai desa.",
        ),
        (
            "kopi-lereng-ijen-licin",
            "Kopi Lereng Ijen",
            "3510171007",
            COFFEE,
            "Kopi arabika dari ketinggian 1.200 m di Licin.",
        ),
        (
            "kopi-banjar-licin",
            "Kopi Banjar",
            "3510171006",
            COFFEE[1:] + SPICE[:1],
            "Petani kopi dan cengkih di Desa Banjar.",
        ),
        (
            "kopi-segobang",
            "Kopi Segobang",
            "3510171003",
            COFFEE[:3],
            "Kopi robusta lereng Ijen, petik merah.",
        ),
        (
            "kopi-kelir",
            "Kopi Kelir",
            "3510200004",
            COFFEE[:4],
            "Kebun kopi keluarga di Kelir, Kalipuro.",
        ),
        (
            "kopi-pesucen",
            "Kopi Pesucen",
            "3510200002",
            COFFEE[:2] + SPICE[:1],
            "Kopi dan rempah dari Pesucen.",
        ),
        (
            "kakao-tulungrejo",
            "Kakao Tulungrejo",
            "3510080002",
            COCOA,
            "Koperasi petani kakao Glenmore; fermentasi lima hari.",
        ),
        (
            "cokelat-sumbergondo",
            "Cokelat Sumbergondo",
            "3510080003",
            COCOA + SPICE[2:3],
            "Ibu-ibu PKK mengolah kakao menjadi cokelat batangan.",
        ),
        (
            "kakao-kalibaru",
            "Kakao Kalibaru Manis",
            "3510090002",
            COCOA[:2],
            "Kakao dari bekas perkebunan Belanda di Kalibaru.",
        ),
        (
            "rempah-kalibaru",
            "Rempah Kalibaru",
            "3510090004",
            SPICE,
            "Cengkih, pala dan jahe dari kebun di kaki Gunung Raung.",
        ),
        ("rempah-songgon", "Rempah Songgon", "3510160004", SPICE, "Rempah dan bumbu dari Songgon."),
        (
            "dapur-pecel-genteng",
            "Dapur Pecel Genteng",
            "3510100003",
            SPICE[2:] + COFFEE[:1],
            "Sambal pecel dan minuman jahe buatan rumah.",
        ),
        (
            "batik-gajah-oling",
            "Batik Gajah Oling Temenggungan",
            "3510180011",
            BATIK,
            "Pembatik tulis Temenggungan, motif Gajah Oling sejak tiga generasi.",
        ),
        (
            "batik-sembulung",
            "Batik Sembulung",
            "3510060001",
            BATIK,
            "Batik cap dan tulis dari Cluring.",
        ),
        (
            "batik-olehsari",
            "Batik Olehsari",
            "3510170008",
            BATIK[:2],
            "Kelompok pembatik muda Olehsari.",
        ),
        (
            "batik-bakungan",
            "Batik Bakungan",
            "3510170010",
            BATIK,
            "Batik warna alam dari Bakungan.",
        ),
        (
            "anyaman-gintangan",
            "Anyaman Bambu Gintangan",
            "3510120006",
            BAMBOO,
            "Desa Gintangan dikenal dengan anyaman bambunya; kami 12 perajin.",
        ),
        (
            "bambu-rogojampi",
            "Bambu Rogojampi",
            "3510120011",
            BAMBOO,
            "Kerajinan bambu dari Rogojampi.",
        ),
        (
            "bambu-glagah",
            "Bambu Glagah",
            "3510170007",
            BAMBOO[:2] + WOOD[2:],
            "Perajin bambu dan kayu di Glagah.",
        ),
        (
            "kayu-tamansari",
            "Kayu Tamansari",
            "3510171008",
            WOOD,
            "Ukiran kayu dari Tamansari, dekat pintu masuk Kawah Ijen.",
        ),
        (
            "topeng-barong-banjarsari",
            "Topeng Barong Banjarsari",
            "3510170011",
            WOOD[1:] + BATIK[2:],
            "Pengukir topeng Barong Osing untuk kesenian dan hiasan.",
        ),
        (
            "kayu-ketapang",
            "Kayu Ketapang",
            "3510200007",
            WOOD,
            "Kerajinan kayu dari Ketapang, dekat pelabuhan.",
        ),
        (
            "kayu-wongsorejo",
            "Kayu Wongsorejo",
            "3510210004",
            WOOD[:2],
            "Mebel kecil dan mangkuk kayu dari Wongsorejo.",
        ),
        (
            "kopi-purwoharjo",
            "Kopi Purwoharjo",
            "3510030006",
            COFFEE[:2] + COCOA[1:2],
            "Kopi dan cokelat dari desa percontohan Purwoharjo.",
        ),
        (
            "kakao-pesanggaran",
            "Kakao Pesanggaran",
            "3510010004",
            COCOA,
            "Kakao dari pesisir selatan Pesanggaran.",
        ),
        (
            "rempah-siliragung",
            "Rempah Siliragung",
            "3510011002",
            SPICE[:3],
            "Pala dan cengkih dari Siliragung.",
        ),
        (
            "batik-muncar",
            "Batik Pesisir Muncar",
            "3510060006",
            BATIK[1:],
            "Batik motif pesisir dari Cluring.",
        ),
        (
            "jajanan-jajag",
            "Jajanan Jajag",
            "3510070005",
            SPICE[2:] + COCOA[1:2],
            "Olahan makanan dari Jajag.",
        ),
        (
            "kopi-tegaldlimo",
            "Kopi Tegaldlimo",
            "3510040005",
            COFFEE[:3],
            "Kopi robusta dari dekat Alas Purwo.",
        ),
    ]
    return [DemoShop(slug, name, code, story, items) for slug, name, code, items, story in specs]


SHOPS: list[DemoShop] = _shops()

#: Editions turn a shop's few goods into the ten or so listings a real village shop carries.
EDITIONS_FOOD = (
    ("", ""),
    ("Panen 2026", "2026 harvest"),
    ("Paket hemat", "value pack"),
    ("Edisi hadiah", "gift edition"),
)
EDITIONS_CRAFT = (
    ("", ""),
    ("motif klasik", "classic pattern"),
    ("motif modern", "modern pattern"),
    ("edisi hadiah", "gift edition"),
)
LISTINGS_PER_SHOP = 10


def listings_for(shop: DemoShop) -> list[tuple[str, Item, str, str]]:
    """(key, item, Indonesian edition, English edition) for each of the shop's listings."""
    result: list[tuple[str, Item, str, str]] = []
    round_ = 0
    while len(result) < LISTINGS_PER_SHOP and round_ < 4:
        for key in shop.items:
            item = ITEMS[key]
            editions = (
                EDITIONS_FOOD
                if item.category in ("kopi", "kakao-cokelat", "rempah", "makanan-olahan")
                else EDITIONS_CRAFT
            )
            edition_id, edition_en = editions[round_]
            result.append((f"{key}-{round_}", item, edition_id, edition_en))
            if len(result) == LISTINGS_PER_SHOP:
                break
        round_ += 1
    return result
