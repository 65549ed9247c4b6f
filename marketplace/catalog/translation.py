"""Which catalog fields are stored per language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, Product


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("id",)


@register(Product)
class ProductTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"default": ()}
