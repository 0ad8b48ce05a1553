"""Administrator's pages on areas (capability areas.manage): the list, and a focus area added or
edited. Thin: the form parses, the action writes and audits, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from doorbraak.policy import Capability as C
from doorbraak.web.decorators import page

from . import actions, selectors
from .forms import FocusAreaForm
from .models import Area, AreaKind


@page(C.AREAS_MANAGE)
def area_list(request):
    rows = list(selectors.areas(include_inactive=True).order_by("kind", "name"))
    groups = [(label, [a for a in rows if a.kind == kind]) for kind, label in AreaKind.choices]
    return render(request, "areas/area_list.html", {"groups": groups})


@require_http_methods(["GET", "POST"])
@page(C.AREAS_MANAGE)
def focus_area_edit(request, pk: int | None = None):
    area = get_object_or_404(Area, pk=pk, kind=AreaKind.FOCUS_AREA) if pk else None
    initial = {f: getattr(area, f) for f in actions.FOCUS_AREA_FIELDS} if area else None
    form = FocusAreaForm(
        request.POST or None if request.method == "POST" else None,
        request.FILES or None,
        initial=initial,
        editing=area is not None,
    )
    title = area.name if area else _("Nieuw focusgebied")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = actions.do_save_focus_area(
                    request.user,
                    area.pk if area else None,
                    code=area.code if area else data["code"],
                    name=data["name"],
                    geometry=data["geometry"],
                    active=data["active"],
                )
            except ValidationError as exc:
                errors = (
                    exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                )
                for field, problems in errors.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("Focusgebied %(a)s opgeslagen.") % {"a": saved.name})
                return redirect("area_list")
        status = 400
    return render(
        request,
        "areas/focus_area_form.html",
        {"form": form, "title": title, "area": area},
        status=status,
    )
