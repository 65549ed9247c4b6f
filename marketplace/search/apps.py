from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "marketplace.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Keeps the search documents (and the Elasticsearch index) in step with the catalog.
        import marketplace.search.handlers  # noqa: F401
