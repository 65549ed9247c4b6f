from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "marketplace.readiness"
    label = "readiness"
    verbose_name = _("Export readiness")

    def ready(self) -> None:
        # Recomputes stored readiness when a listing, its plots, documents or shop change.
        import marketplace.readiness.handlers  # noqa: F401
