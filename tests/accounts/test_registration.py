"""Registering and signing in by e-mail or by Indonesian phone number, on the web."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from marketplace.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def register(client: Client, **fields: str) -> Any:
    data = {
        "full_name": "Siti Aminah",
        "phone": "",
        "email": "",
        "password": PASSWORD,
        "preferred_language": "id",
        **fields,
    }
    return client.post("/akun/daftar/", data)


def sign_in(client: Client, login: str, password: str = PASSWORD) -> Any:
    return client.post("/akun/masuk/", {"username": login, "password": password})


def test_register_with_a_phone_number_only(client: Client) -> None:
    response = register(client, phone="0812-3456-7890")
    assert response.status_code == 302
    user = User.objects.get()
    assert str(user.phone) == "+6281234567890"
    assert user.email is None
    # Registration signs the new user in.
    assert client.get("/akun/profil/").status_code == 200


@pytest.mark.parametrize(
    "login", ["081234567890", "+62 812 3456 7890", "6281234567890", "0812-3456-7890"]
)
def test_every_spelling_of_the_phone_number_is_the_same_user(client: Client, login: str) -> None:
    register(client, phone="+6281234567890")
    client.post("/akun/keluar/")
    response = sign_in(client, login)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


@pytest.mark.parametrize("spelling", ["081234567890", "62 812 3456 7890"])
def test_the_same_phone_number_cannot_register_twice(client: Client, spelling: str) -> None:
    register(client, phone="+6281234567890")
    client.post("/akun/keluar/")
    response = register(Client(), phone=spelling, full_name="Orang Lain")
    assert response.status_code == 200
    assert "Akun dengan nomor HP ini sudah ada." in response.content.decode()
    assert User.objects.count() == 1


def test_register_and_sign_in_by_email_in_any_case(client: Client) -> None:
    register(client, email="Siti.Aminah@Example.ID")
    client.post("/akun/keluar/")
    assert User.objects.get().email == "siti.aminah@example.id"
    assert sign_in(client, "SITI.aminah@example.id").status_code == 302


def test_registration_without_phone_or_email_explains_in_indonesian(client: Client) -> None:
    response = register(client)
    assert response.status_code == 200
    assert "Isi nomor HP atau alamat email (atau keduanya)." in response.content.decode()
    assert not User.objects.exists()


def test_bad_phone_number_is_refused_with_a_clear_message(client: Client) -> None:
    response = register(client, phone="12345")
    assert response.status_code == 200
    assert "Masukkan nomor HP yang benar, misalnya 0812 3456 7890." in response.content.decode()
    assert not User.objects.exists()


def test_weak_password_is_refused_and_nothing_is_created(client: Client) -> None:
    response = register(client, phone="081234567890", password="12345678")
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not User.objects.exists()


def test_messages_follow_the_language_the_user_chose(client: Client) -> None:
    client.cookies["pasar_language"] = "en"
    response = register(client, phone="12345")
    assert "Enter a valid phone number, for example 0812 3456 7890." in response.content.decode()


def test_wrong_password_is_refused_in_indonesian(client: Client) -> None:
    register(client, phone="081234567890")
    client.post("/akun/keluar/")
    response = sign_in(client, "081234567890", "salah-sandi")
    assert response.status_code == 200
    assert "Nomor HP, alamat email, atau kata sandi salah." in response.content.decode()


def test_five_failures_lock_the_login_whatever_its_spelling(client: Client) -> None:
    register(client, phone="081234567890")
    client.post("/akun/keluar/")
    spellings = [
        "081234567890",
        "+6281234567890",
        "6281234567890",
        "0812 3456 7890",
        "081234567890",
    ]
    for spelling in spellings:
        sign_in(client, spelling, "salah-sandi")
    # The right password no longer helps while the lock-out lasts.
    response = sign_in(client, "081234567890")
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_profile_changes_language_and_contact(client: Client, user_factory: Any) -> None:
    user = user_factory(phone="+6281234500001")
    client.force_login(user)
    response = client.post(
        "/akun/profil/",
        {
            "full_name": "Siti A.",
            "phone": "0812 3450 0001",
            "email": "siti@example.id",
            "preferred_language": "de",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.email, user.preferred_language) == (
        "Siti A.",
        "siti@example.id",
        "de",
    )
    # The next page speaks German.
    assert '<html lang="de">' in client.get("/").content.decode()


def test_profile_refuses_a_phone_number_someone_else_has(client: Client, user_factory: Any) -> None:
    user_factory(phone="+6281234500002", full_name="Budi")
    user = user_factory(phone="+6281234500001")
    client.force_login(user)
    response = client.post(
        "/akun/profil/",
        {"full_name": "Siti", "phone": "081234500002", "email": "", "preferred_language": "id"},
    )
    assert response.status_code == 200
    assert "Akun dengan nomor HP ini sudah ada." in response.content.decode()
    user.refresh_from_db()
    assert str(user.phone) == "+6281234500001"


def test_password_reset_mails_a_working_link(client: Client, user_factory: Any) -> None:
    user_factory(email="siti@example.id")
    response = client.post("/akun/lupa-sandi/", {"email": "siti@example.id"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/akun/lupa-sandi/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "sandi-baru-kemiren-77"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert sign_in(Client(), "siti@example.id", new_password).status_code == 302


def test_language_switch_without_javascript(client: Client) -> None:
    assert '<html lang="id">' in client.get("/").content.decode()
    response = client.post("/akun/bahasa/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()


def test_language_switch_refuses_foreign_redirects(client: Client) -> None:
    response = client.post("/akun/bahasa/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_language_switch_is_remembered_in_the_profile(client: Client, user_factory: Any) -> None:
    user = user_factory()
    client.force_login(user)
    client.post("/akun/bahasa/", {"language": "de", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "de"
