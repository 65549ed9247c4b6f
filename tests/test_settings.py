"""Each environment variable switches its part; no environment gives the embedded set-up."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_FILE = ROOT / "marketplace" / "settings.py"
VARIABLES = [
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "ELASTICSEARCH_URL",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "EMAIL_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "MEDIA_ROOT",
]
PRODUCTION_KEY = "x" * 20 + "-a-long-random-production-secret-key-for-tests-only"


def load_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    """Execute settings.py afresh under ``env`` (and nothing else of ours)."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_environment_gives_the_embedded_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(monkeypatch)
    assert s.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s.DATABASES["default"]["NAME"].endswith("db.sqlite3")
    assert s.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert s.CELERY_TASK_ALWAYS_EAGER is True
    assert s.SEARCH_BACKEND == "database"
    assert s.PAYMENT_GATEWAY == "demo"
    assert s.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert s.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert s.DEBUG is True
    assert s.LANGUAGE_CODE == "id"


def test_database_url_switches_to_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(monkeypatch, DATABASE_URL="postgres://pasar:rahasia@db.internal:5433/pasar")
    db = s.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        5433,
        "pasar",
        "pasar",
    )
    assert db["CONN_HEALTH_CHECKS"] is True


def test_redis_url_switches_cache_and_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(monkeypatch, REDIS_URL="redis://cache.internal:6379/2")
    assert s.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert s.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/2"
    assert s.CELERY_BROKER_URL == "redis://cache.internal:6379/2"
    assert s.CELERY_TASK_ALWAYS_EAGER is False


def test_a_separate_broker_url_wins_for_celery(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(monkeypatch, CELERY_BROKER_URL="redis://broker.internal:6379/1")
    assert s.CELERY_BROKER_URL == "redis://broker.internal:6379/1"
    assert s.CELERY_TASK_ALWAYS_EAGER is False
    assert s.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_elasticsearch_url_switches_search(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(monkeypatch, ELASTICSEARCH_URL="http://search.internal:9200")
    assert s.SEARCH_BACKEND == "elasticsearch"
    assert s.ELASTICSEARCH_URL == "http://search.internal:9200"


def test_stripe_key_switches_payments(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(monkeypatch, STRIPE_SECRET_KEY="sk_test_123", STRIPE_WEBHOOK_SECRET="whsec_1")
    assert s.PAYMENT_GATEWAY == "stripe"
    assert s.STRIPE_WEBHOOK_SECRET == "whsec_1"


def test_email_url_switches_to_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(monkeypatch, EMAIL_URL="smtp+tls://kirim:rahasia@smtp.example.org:587")
    assert s.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER) == ("smtp.example.org", 587, "kirim")
    assert s.EMAIL_USE_TLS is True


def test_bucket_switches_media_to_s3(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(
        monkeypatch, AWS_STORAGE_BUCKET_NAME="pasar-media", AWS_S3_ENDPOINT_URL="http://minio:9000"
    )
    assert s.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s.AWS_S3_ENDPOINT_URL == "http://minio:9000"


def test_media_root_is_configurable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    s = load_settings(monkeypatch, MEDIA_ROOT=str(tmp_path))
    assert tmp_path == s.MEDIA_ROOT


def test_debug_off_refuses_the_default_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(monkeypatch, DEBUG="False")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(monkeypatch, DEBUG="False", SECRET_KEY="short")


def test_debug_off_with_a_real_key_is_production_shaped(monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(
        monkeypatch, DEBUG="False", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="pasar.example.id"
    )
    assert s.ALLOWED_HOSTS == ["pasar.example.id"]
    assert s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE and s.SECURE_SSL_REDIRECT
    assert s.STORAGES["staticfiles"]["BACKEND"].startswith("whitenoise")


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (same xdist worker) is no part of production.
    dropped = {*VARIABLES, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_start_up_with_debug_off_and_the_default_key_fails() -> None:
    result = _manage("check", DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_for_a_production_environment() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="pasar.example.id",
        DATABASE_URL="postgres://pasar@127.0.0.1:5432/pasar",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
