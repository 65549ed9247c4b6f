from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "marketplace.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import cache

        cache.connect()
        _keep_pillow_strict()


def _keep_pillow_strict() -> None:
    """Import WeasyPrint now and undo its process-wide Pillow setting.

    Importing WeasyPrint sets ``PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True`` for the whole
    process, after which Pillow silently accepts half-uploaded photos: a seller's damaged photo
    would pass validation in any worker that had printed a packing slip. Importing it once at
    start-up and restoring Pillow's default keeps photo validation strict everywhere; our PDFs
    embed only images we produced ourselves.
    """
    import weasyprint  # noqa: F401  (its import is what flips the setting)
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
