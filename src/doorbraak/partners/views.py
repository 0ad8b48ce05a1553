"""Administrator's pages: users, organisations and the covenant (capability partners.manage).
Thin: the form parses, an action writes (and audits), a selector reads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user

from doorbraak import policy
from doorbraak.policy import Capability as C
from doorbraak.web.decorators import page

from . import actions, selectors
from .forms import CovenantForm, NewUserForm, OrganisationForm, UserForm
from .models import Covenant, Organisation, Role, User


def _apply(form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, problems in errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def _form_page(request, form, title, back, status=200, **extra):
    return render(
        request,
        "partners/form.html",
        {"form": form, "title": title, "back": back, **extra},
        status=status,
    )


# --- users -----------------------------------------------------------------------------


@page(C.PARTNERS_MANAGE)
def user_list(request):
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "organisation": request.GET.get("organisatie", "")[:40],
        "role": request.GET.get("rol", "")[:30],
    }
    qs = selectors.users(filters["q"], filters["organisation"], filters["role"])
    page_obj = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/user_list.html",
        {
            "page_obj": page_obj,
            "filters": filters,
            "roles": Role.choices,
            "organisations": Organisation.objects.order_by("name"),
            "query": "&".join(
                f"{k}={v}"
                for k, v in (
                    ("q", filters["q"]),
                    ("organisatie", filters["organisation"]),
                    ("rol", filters["role"]),
                )
                if v
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@page(C.PARTNERS_MANAGE)
def user_create(request):
    form = NewUserForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                user = actions.do_create_user(request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("Gebruiker %(u)s aangemaakt.") % {"u": user.username})
                return redirect("user_edit", pk=user.pk)
        return _form_page(request, form, _("Nieuwe gebruiker"), reverse("user_list"), status=400)
    return _form_page(request, form, _("Nieuwe gebruiker"), reverse("user_list"))


@require_http_methods(["GET", "POST"])
@page(C.PARTNERS_MANAGE)
def user_edit(request, pk: int):
    user = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    initial = {f: getattr(user, f) for f in actions.USER_FIELDS}
    form = UserForm(request.POST if request.method == "POST" else None, initial=initial, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.do_update_user(request.user, pk, **form.cleaned_data)
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(
                    request, _("Gebruiker %(u)s opgeslagen.") % {"u": form.cleaned_data["username"]}
                )
                return redirect("user_edit", pk=pk)
        status = 400
    has_device = any(True for _d in devices_for_user(user, confirmed=True))
    return _form_page(
        request,
        form,
        _("Gebruiker %(u)s") % {"u": user.username},
        reverse("user_list"),
        status=status,
        account=user,
        has_device=has_device,
        is_self=user.pk == request.user.pk,
    )


@require_POST
@page(C.PARTNERS_MANAGE)
def user_set_active(request, pk: int):
    get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        user = actions.do_set_active(request.user, pk, active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (
                _("Account %(u)s is weer actief.")
                if active
                else _("Account %(u)s is gedeactiveerd en overal afgemeld.")
            )
            % {"u": user.username},
        )
    return redirect("user_edit", pk=pk)


@require_POST
@page(C.PARTNERS_MANAGE)
def user_reset_second_factor(request, pk: int):
    get_object_or_404(User, pk=pk)
    user = actions.do_reset_second_factor(request.user, pk)
    messages.success(
        request,
        _(
            "Tweede factor van %(u)s verwijderd; bij de volgende aanmelding stelt %(u)s een nieuwe "
            "in."
        )
        % {"u": user.username},
    )
    return redirect("user_edit", pk=pk)


# --- organisations -----------------------------------------------------------------------


@page(C.PARTNERS_MANAGE)
def organisation_list(request):
    return render(
        request, "partners/organisation_list.html", {"organisations": selectors.organisations()}
    )


@require_http_methods(["GET", "POST"])
@page(C.PARTNERS_MANAGE)
def organisation_edit(request, pk: int | None = None):
    org = get_object_or_404(Organisation, pk=pk) if pk else None
    initial = {f: getattr(org, f) for f in actions.ORGANISATION_FIELDS} if org else None
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, initial=initial, instance=org
    )
    title = org.name if org else _("Nieuwe organisatie")
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = actions.do_save_organisation(request.user, pk, **form.cleaned_data)
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("Organisatie %(o)s opgeslagen.") % {"o": saved.name})
                return redirect("organisation_list")
        return _form_page(
            request, form, title, reverse("organisation_list"), status=400, organisation=org
        )
    return _form_page(request, form, title, reverse("organisation_list"), organisation=org)


@require_http_methods(["GET", "POST"])
@page(C.PARTNERS_MANAGE)
def organisation_covenant(request, pk: int):
    """The covenant's lines for one organisation: data category × purpose."""
    org = get_object_or_404(Organisation, pk=pk)
    covenants = list(Covenant.objects.order_by("-valid_from"))
    chosen = request.POST.get("convenant") or request.GET.get("convenant")
    covenant = next((c for c in covenants if str(c.pk) == chosen), None)
    if covenant is None:
        covenant = next((c for c in covenants if c.in_force()), covenants[0] if covenants else None)
    if request.method == "POST" and covenant is not None:
        matrix = selectors.grant_matrix(covenant, org)
        wanted = {
            (row["code"], cell["purpose"].pk)
            for row in matrix["rows"]
            for cell in row["cells"]
            if request.POST.get(cell["name"]) == "on"
        }
        result = actions.do_set_grants(request.user, covenant.pk, org.pk, wanted)
        messages.success(
            request,
            _("Convenant voor %(o)s opgeslagen: %(a)s toegevoegd, %(r)s verwijderd.")
            % {"o": org.name, "a": result["added"], "r": result["removed"]},
        )
        return redirect(
            f"{reverse('organisation_covenant', kwargs={'pk': org.pk})}?convenant={covenant.pk}"
        )
    matrix = selectors.grant_matrix(covenant, org) if covenant else None
    return render(
        request,
        "partners/organisation_covenant.html",
        {"organisation": org, "covenants": covenants, "covenant": covenant, "matrix": matrix},
    )


@require_http_methods(["GET", "POST"])
@page(C.PARTNERS_MANAGE)
def covenant_edit(request, pk: int | None = None):
    """The covenant itself: title, reference, legal basis and validity."""
    covenant = get_object_or_404(Covenant, pk=pk) if pk else None
    initial = {f: getattr(covenant, f) for f in actions.COVENANT_FIELDS} if covenant else None
    form = CovenantForm(request.POST if request.method == "POST" else None, initial=initial)
    title = covenant.title if covenant else _("Nieuw convenant")
    if request.method == "POST":
        if form.is_valid():
            saved = actions.do_save_covenant(request.user, pk, **form.cleaned_data)
            messages.success(request, _("Convenant %(c)s opgeslagen.") % {"c": saved.title})
            return redirect("covenant")
        return _form_page(request, form, title, reverse("covenant"), status=400)
    return _form_page(request, form, title, reverse("covenant"))


@page(C.LEGAL_VIEW)
def covenant_view(request):
    covenants = Covenant.objects.prefetch_related("grants__organisation", "grants__purpose")
    matrix = selectors.covenant_matrix()
    return render(
        request,
        "partners/covenant.html",
        {
            "covenants": covenants,
            "matrix": matrix,
            "can_manage": policy.has(request.user, C.PARTNERS_MANAGE),
        },
    )
