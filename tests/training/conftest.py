"""Fixtures for training: a small course, a trainer and a cohort at Kampunganyar's village hall."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product
from marketplace.photos import services as photo_services
from marketplace.regions.models import VillageHall
from sellers.models import Shop
from training.models import (
    Choice,
    Cohort,
    Course,
    Lesson,
    Module,
    PracticalTask,
    Question,
    QuestionKind,
    Quiz,
    TaskKind,
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def jpeg(name: str = "kopi.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (122, 62, 18)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_course(
    slug: str = "pemasaran", task_kinds: tuple[str, ...] = (TaskKind.OPEN_SHOP,)
) -> Course:
    """One module with two lessons and a two-question quiz (pass mark 50 %), and the tasks."""
    course = Course.objects.create(
        slug=slug, title_ind="Pemasaran Online", title_en="Online marketing", summary_ind="Dasar."
    )
    module = Module.objects.create(course=course, position=1, title_ind="Foto produk")
    for n in (1, 2):
        Lesson.objects.create(
            module=module, position=n, title_ind=f"Pelajaran {n}", body_ind=f"**Tebal** {n}"
        )
    quiz = Quiz.objects.create(module=module, title_ind="Kuis foto", pass_mark=50)
    q1 = Question.objects.create(quiz=quiz, position=1, text_ind="Cahaya terbaik?")
    Choice.objects.create(question=q1, position=1, text_ind="Cahaya jendela", is_correct=True)
    Choice.objects.create(question=q1, position=2, text_ind="Lampu kilat")
    q2 = Question.objects.create(
        quiz=quiz, position=2, text_ind="Foto apa yang perlu?", kind=QuestionKind.MULTIPLE
    )
    Choice.objects.create(question=q2, position=1, text_ind="Depan", is_correct=True)
    Choice.objects.create(question=q2, position=2, text_ind="Detail", is_correct=True)
    Choice.objects.create(question=q2, position=3, text_ind="Buram")
    for position, kind in enumerate(task_kinds):
        PracticalTask.objects.create(course=course, kind=kind, position=position)
    return course


def correct_answers(quiz: Quiz) -> dict[int, list[int]]:
    return {q.pk: [c.pk for c in q.choices.all() if c.is_correct] for q in quiz.questions.all()}


@pytest.fixture
def course(db: None) -> Course:
    return make_course()


@pytest.fixture
def trainer(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Ibu Sri Wahyuni", phone="+6281100000002", is_trainer=True)


@pytest.fixture
def other_trainer(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Pak Bambang", phone="+6281100000009", is_trainer=True)


@pytest.fixture
def operator(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Operator", phone="+6281100000001", is_staff=True)


@pytest.fixture
def cohort(course: Course, trainer: User, hall: VillageHall) -> Cohort:
    return Cohort.objects.create(
        course=course,
        name="Kampunganyar 2026",
        village_hall=hall,
        trainer=trainer,
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 30),
    )


@pytest.fixture
def learner(user_factory: Callable[..., User]) -> User:
    return user_factory(full_name="Bu Ratna", phone="+6281234500077")


@pytest.fixture
def coffee(db: None) -> Category:
    return Category.objects.get(slug="kopi")


def add_listing(
    actor: User,
    shop: Shop,
    category: Category,
    n: int = 1,
    *,
    photos: int = 0,
    english: str = "",
    publish: bool = True,
) -> Product:
    """A listing made through the catalog and photo services, as the seller's pages make it."""
    product = catalog.create_product(
        actor,
        shop,
        catalog.ProductInput(
            category=category,
            title={"id": f"Kopi Osing {n}", "en": f"Osing coffee {n}"},
            description={"id": "Robusta petik merah.", "en": english},
        ),
    )
    catalog.save_variant(actor, product, catalog.VariantInput(sku=f"K-{n}", price_idr=45_000))
    for p in range(photos):
        photo_services.add_photo(actor, product, jpeg(f"{n}-{p}.jpg"), alt_text=f"foto {p}")
    if publish:
        catalog.publish_product(actor, product)
    return product


def signed_in(user: User, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["pasar_language"] = language
    return client


def paid_order(shop: Shop, market: str, amount: Any) -> Any:
    """An order of ``shop`` paid through the orders service, which emits ``order.paid``.

    Skips while the orders app (built alongside) lacks the model.
    """
    from djmoney.money import Money

    from training.practical_tasks import order_model

    model = order_model()
    if model is None:
        pytest.skip("orders.Order is not built yet")
    currency = "EUR" if market == "EU" else "IDR"
    zero = Money(0, currency)
    order = model.objects.create(  # type: ignore[attr-defined]
        shop=shop,
        market=market,
        country="NL" if market == "EU" else "ID",
        currency=currency,
        subtotal=Money(amount, currency),
        shipping=zero,
        vat=zero,
        duty=zero,
        total=Money(amount, currency),
    )
    from marketplace.orders.services import mark_paid

    return mark_paid(order)
