"""Internet-marketing courses, village-hall cohorts, practical tasks and programme outcomes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from . import handlers  # noqa: F401 - registers the practical tasks' event handlers
