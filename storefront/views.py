from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from marketplace.regions.selectors import villages_with_halls


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/home.html", {"villages": villages_with_halls()[:24]})
