from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    name = "marketplace.photos"
    label = "photos"
    verbose_name = _("Product photos")

    def ready(self) -> None:
        # iPhones (and many recent Android phones) save HEIC; Pillow reads it only through
        # pillow-heif's opener, registered once per process here.
        import pillow_heif

        pillow_heif.register_heif_opener()

        # Deletes the files of photos removed by a cascade.
        import marketplace.photos.signals  # noqa: F401
