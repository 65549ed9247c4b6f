"""The URL map: each face of the marketplace brings its own ``urls`` module."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import ensure_csrf_cookie

from marketplace.core.views import healthz
from marketplace.graphql.views import GraphQLView

urlpatterns = [
    path("", include("storefront.urls")),
    path("akun/", include("marketplace.accounts.urls")),
    path("", include("marketplace.markets.urls")),
    path("", include("sellers.urls")),
    path("", include("training.urls")),
    path("moderasi/pencairan/", include("marketplace.ledger.urls")),
    path("moderasi/", include("marketplace.payments.operator_urls")),
    path("moderasi/", include("marketplace.customs.operator_urls")),
    path("pembayaran/", include("marketplace.payments.urls")),
    path(
        "graphql/", ensure_csrf_cookie(GraphQLView.as_view(graphiql=settings.DEBUG)), name="graphql"
    ),
    path("healthz", healthz, name="healthz"),
    path("operator/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
