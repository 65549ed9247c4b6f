"""``manage.py load_demo``: the Banyuwangi demo. Safe to run again: a second run adds nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from marketplace.accounts.models import User
from marketplace.core.demo.export import load_export_data
from marketplace.core.demo.load import load_shops_and_listings
from marketplace.regions.importer import BANYUWANGI_CSV, import_regions_file
from marketplace.regions.models import Region, VillageHall
from sellers.models import FacilitatorConsent, Shop
from sellers.services import grant_consent
from training.demo import load_training

DEMO_PASSWORD = "pasar-kampung-demo"  # noqa: S105 - printed on purpose: these are demo logins

#: (role, full name, e-mail, phone, language, flags)
DEMO_USERS: list[tuple[str, str, str, str, str, dict[str, bool]]] = [
    (
        "operator",
        "Operator Pasar Kampung",
        "operator@demo.pasarkampung.id",
        "081100000001",
        "id",
        {"is_staff": True},
    ),
    (
        "trainer",
        "Ibu Sri Wahyuni (pelatih)",
        "pelatih@demo.pasarkampung.id",
        "081100000002",
        "id",
        {"is_trainer": True},
    ),
    ("facilitator", "Mas Agus (balai desa Kampunganyar)", "", "081100000003", "id", {}),
    ("seller", "Pak Slamet (Kopi Osing Kemiren)", "", "081100000004", "id", {}),
    ("buyer", "Anna Schmidt", "anna@demo.pasarkampung.id", "", "de", {}),
]


class Command(BaseCommand):
    help = (
        "Load the Banyuwangi demo: regions, Kampunganyar's village hall, one user per role, "
        "30 approved shops in real villages with about 300 listings and drawn photos."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (never in production).",
        )
        parser.add_argument(
            "--shops",
            type=int,
            default=None,
            help="Load only the first N demo shops (the tests use a few; the demo loads all 30).",
        )

    def handle(
        self, *args: Any, force: bool = False, shops: int | None = None, **options: Any
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: refusing to create demo users with a known password.")
        with transaction.atomic():
            result = import_regions_file(BANYUWANGI_CSV)
            users = self._load()
        self._catalog(users, shops)
        load_export_data(self.stdout.write)
        load_training(users["trainer"], users["facilitator"], self.stdout.write)
        self.stdout.write(
            f"Regions: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
        for role, user in users.items():
            self.stdout.write(f"  {role:<12} {user.login_label:<34} {user.full_name}")

    def _load(self) -> dict[str, User]:
        kampunganyar = Region.objects.get(code="3510170018")
        hall, _ = VillageHall.objects.get_or_create(
            village=kampunganyar,
            defaults={
                "name": "Balai Desa Kampunganyar",
                "address": "Jl. Kampunganyar, Kecamatan Glagah, Banyuwangi",
            },
        )
        users: dict[str, User] = {}
        for role, name, email, phone, language, flags in DEMO_USERS:
            lookup = {"email": email} if email else {"phone": "+62" + phone[1:]}
            user = User.objects.filter(**lookup).first()
            if user is None:
                user = User.objects.create_user(
                    email=email or None,
                    phone="+62" + phone[1:] if phone else None,
                    password=DEMO_PASSWORD,
                    full_name=name,
                    preferred_language=language,
                    **flags,
                )
            users[role] = user
        hall.facilitators.add(users["facilitator"])
        return users

    def _catalog(self, users: dict[str, User], limit: int | None) -> None:
        shops, listings = load_shops_and_listings(
            users["seller"], users["operator"], DEMO_PASSWORD, self.stdout.write, limit
        )
        self.stdout.write(f"Shops: {shops} created; listings: {listings} created.")
        first = Shop.objects.get(memberships__user=users["seller"], name="Kopi Osing Kemiren")
        if not FacilitatorConsent.objects.filter(
            shop=first, facilitator=users["facilitator"], revoked_at__isnull=True
        ).exists():
            grant_consent(users["seller"], first, str(users["facilitator"].phone))
