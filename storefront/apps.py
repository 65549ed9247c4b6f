from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    name = "storefront"
    verbose_name = _("Storefront")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .checkout_views import cart_count_at_login

        # After the checkout app's own receiver has merged the visitor's cart into the user's.
        user_logged_in.connect(cart_count_at_login, dispatch_uid="storefront.cart_count_at_login")
