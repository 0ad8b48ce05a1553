"""The API's exception handler: every error as application/problem+json (RFC 9457), with the NL
API design rules' invalidParams for bad input. The response itself is ``doorbraak.web.problems``."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions
from rest_framework.views import exception_handler

from doorbraak.web.problems import TITLES, problem_response

__all__ = ["TITLES", "problem_exception_handler", "problem_response"]

log = logging.getLogger(__name__)


def _flatten(detail, prefix="") -> list[dict]:
    """DRF error detail → NL API invalidParams [{name, code, reason}]."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.extend(_flatten(value, "" if key == "non_field_errors" and not prefix else name))
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if isinstance(value, (dict, list)) and not isinstance(value, exceptions.ErrorDetail):
                out.extend(_flatten(value, f"{prefix}.{i}" if prefix else str(i)))
            else:
                out.extend(_flatten(value, prefix))
    else:
        out.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", "invalid"),
                "reason": str(detail),
            }
        )
    return out


def problem_exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    if isinstance(
        exc, OverflowError
    ):  # a number too large for the database: bad input, never a 500
        return problem_response(
            400, _(TITLES[400]), _("Een getal in het verzoek is te groot."), request
        )
    if isinstance(exc, Http404):
        return problem_response(404, _(TITLES[404]), _("Dit object bestaat niet."), request)
    if isinstance(exc, PermissionDenied) and not isinstance(exc, exceptions.APIException):
        return problem_response(
            403,
            _(TITLES[403]),
            str(getattr(exc, "message", "") or exc) or _("U heeft geen toegang."),
            request,
        )
    response = exception_handler(exc, context)
    if response is None:
        log.exception("Unhandled API error", exc_info=exc)
        return problem_response(
            500, _(TITLES[500]), _("Er ging iets mis; de fout is gelogd."), request
        )
    code = response.status_code
    invalid = None
    if isinstance(exc, exceptions.ValidationError):
        invalid = _flatten(exc.detail)
        detail = _("De invoer is ongeldig: %(fields)s.") % {
            "fields": ", ".join(sorted({p["name"] for p in invalid}))
        }
    else:
        detail = str(getattr(exc, "detail", "")) or _(TITLES.get(code, gettext_noop("Fout")))
    problem = problem_response(
        code, _(TITLES.get(code, gettext_noop("Fout"))), detail, request, invalid
    )
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem
