"""Errors as application/problem+json (RFC 9457), as the NL API design rules require: the response
itself, for every layer (the error pages and middleware of the web toolkit, the API's exception
handler in ``doorbraak.api.problems``)."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext_noop

TITLES = {
    400: gettext_noop("Ongeldige invoer"),
    401: gettext_noop("Niet aangemeld"),
    403: gettext_noop("Geen toegang"),
    404: gettext_noop("Niet gevonden"),
    405: gettext_noop("Methode niet toegestaan"),
    406: gettext_noop("Niet aanvaardbaar"),
    415: gettext_noop("Mediatype niet ondersteund"),
    429: gettext_noop("Te veel verzoeken"),
    500: gettext_noop("Interne fout"),
}


def problem_response(
    status_code: int, title: str, detail: str, request=None, invalid_params=None
) -> JsonResponse:
    body = {
        "type": f"https://doorbraak.nl/problemen/{status_code}",
        "title": str(title),
        "status": status_code,
        "detail": str(detail),
        "instance": getattr(request, "path", "") if request is not None else "",
    }
    if invalid_params:
        body["invalidParams"] = invalid_params
    response = JsonResponse(body, status=status_code, content_type="application/problem+json")
    return response
