"""Error pages: problem+json under /api/, the site's own pages elsewhere."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from doorbraak.web.problems import problem_response


def error_403(request, exception=None):
    if request.path.startswith("/api/"):
        return problem_response(
            403,
            _("Geen toegang"),
            str(getattr(exception, "message", "") or _("U heeft geen toegang.")),
            request,
        )
    return render(request, "403.html", {"message": getattr(exception, "message", "")}, status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):
        return problem_response(404, _("Niet gevonden"), _("Dit object bestaat niet."), request)
    return render(request, "404.html", status=404)


def error_500(request):
    if request.path.startswith("/api/"):
        return problem_response(
            500, _("Interne fout"), _("Er ging iets mis; de fout is gelogd."), request
        )
    return render(request, "500.html", status=500)
