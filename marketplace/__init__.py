"""Pasar Kampung: the Django project and the commerce core."""

from .celery import app as celery_app

__all__ = ["celery_app"]
