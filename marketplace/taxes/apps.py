from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxesConfig(AppConfig):
    name = "marketplace.taxes"
    label = "taxes"
    verbose_name = _("Taxes")

    def ready(self) -> None:
        # An operator's edit must reach every price at once, not when the cached table expires.
        from django.db.models.signals import post_delete, post_save

        from . import selectors
        from .models import VatRate

        post_save.connect(selectors.rates_changed, sender=VatRate, dispatch_uid="taxes.saved")
        post_delete.connect(selectors.rates_changed, sender=VatRate, dispatch_uid="taxes.deleted")

        from . import customs
        from .models import ImportRule

        post_save.connect(customs.rules_changed, sender=ImportRule, dispatch_uid="customs.saved")
        post_delete.connect(
            customs.rules_changed, sender=ImportRule, dispatch_uid="customs.deleted"
        )
