"""A number too large for the database is bad input, not a server error (web and API alike;
the API's problem handler does the same for DRF views)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from .problems import TITLES, problem_response


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OverflowError):
            return None
        message = _("Een getal in het verzoek is te groot.")
        if request.path.startswith("/api/"):
            return problem_response(400, _(TITLES[400]), message, request)
        return render(request, "400.html", {"message": message}, status=400)
