"""Files follow rows even when a listing (or its shop) is deleted and its photos go by cascade.

``services.delete_photo`` deletes files itself; a cascade bypasses services, so this receiver is
the one place that catches it. Files go only after the deletion commits.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ProductPhoto
from .services import delete_files_on_commit


@receiver(post_delete, sender=ProductPhoto, dispatch_uid="photos.delete_files")
def _delete_files(sender: type[ProductPhoto], instance: ProductPhoto, **kwargs: Any) -> None:
    delete_files_on_commit(instance.stored_names())
