from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShippingConfig(AppConfig):
    name = "marketplace.shipping"
    label = "shipping"
    verbose_name = _("Shipping")

    def ready(self) -> None:
        # An operator's edit must reach the next quote at once, not when the cached table expires.
        from django.db.models.signals import post_delete, post_save

        from . import selectors
        from .models import Courier, DomesticRate, InternationalRate, ShippingSettings

        for model in (Courier, DomesticRate, InternationalRate, ShippingSettings):
            name = model._meta.model_name
            post_save.connect(
                selectors.rates_changed, sender=model, dispatch_uid=f"shipping.{name}.saved"
            )
            post_delete.connect(
                selectors.rates_changed, sender=model, dispatch_uid=f"shipping.{name}.deleted"
            )
