"""The Celery application.

Configuration comes from Django settings (``CELERY_*``): with no broker configured the tasks run
eagerly in the calling process, so the embedded set-up needs no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules below an app's top level, which the call above does not look for.
app.autodiscover_tasks(["sellers.spreadsheets"])
