"""Case management pages. Thin: the policy layer decides access, actions write (atomic, audited),
selectors read; a form only parses input and shows the action's errors next to its fields."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doorbraak import policy
from doorbraak.partners.models import DataCategory
from doorbraak.policy import Capability as C
from doorbraak.web.decorators import page
from doorbraak.web.pagination import paginate

from . import access, actions, selectors
from . import catalogue as catalogue_actions
from . import forms as f
from .models import (
    Case,
    CaseKind,
    CaseStatus,
    Coach,
    Goal,
    Intervention,
    Programme,
    VogGuidance,
)


def _submit(request, form, call, success_message: str):
    """Run the action for a valid POST; on a business-rule error put it on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, success_message)
            return result
    return None


def _form_page(request, form, title, back, intro="", case=None):
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "careers/form.html",
        {"form": form, "title": title, "back": back, "intro": intro, "case": case},
        status=status,
    )


# --- cases ---------------------------------------------------------------------------------


@page(C.CASES_VIEW)
def case_list(request):
    cases = (
        access.visible_cases(request.user)
        .select_related("director", "case_type")
        .order_by("-opened_on", "pk")
    )
    status = request.GET.get("status", "open")
    if status in {"open", "closed"}:
        cases = cases.filter(status=status)
    page_obj = Paginator(cases, 25).get_page(request.GET.get("page"))
    # References and dates only, no personal data: no read audit needed.
    return render(request, "careers/case_list.html", {"page_obj": page_obj, "status": status})


@page(C.CASES_VIEW)
def case_detail(request, pk: int):
    case, categories = access.get_case_for_user(request.user, pk)
    context = selectors.dossier(request.user, case, categories)
    context["can"] = access.case_actions(
        request.user, case, categories
    )  # offer only what the policy allows
    # the two lists that grow with the case, a page at a time
    context["records"] = paginate(request, context["records"], 20, "tijdlijn")
    if context["contacts"] is not None:
        context["contacts"] = paginate(request, context["contacts"], 20, "contacten")
    context["network_svg"] = selectors.network_svg(case, categories)
    context["today"] = timezone.localdate()
    context["overdue"] = selectors.overdue(case, context["today"])
    return render(request, "careers/case_detail.html", context)


@page(C.CASES_VIEW)
def family_board(request, pk: int):
    case, categories = access.get_case_for_user(request.user, pk)
    return render(
        request,
        "careers/family_board.html",
        {"case": case, **selectors.family_board(case, categories)},
    )


# --- entry ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@page(C.CONCERNS_REPORT)
def concern_create(request):
    family_case_id = request.GET.get("gezin") or request.POST.get("gezin")
    form = f.ConcernForm(
        request.POST if request.method == "POST" else None,
        initial={"received_on": timezone.localdate()},
    )
    done = _submit(
        request,
        form,
        lambda d: actions.do_report_concern(request.user, family_case_id=family_case_id, **d),
        _("Aanmelding geregistreerd. Het casusoverleg besluit over opname."),
    )
    if done:
        if policy.has(request.user, C.CASES_MANAGE):
            return redirect("concern_decide", pk=done.pk)
        return redirect("my_concerns")
    intro = _("Een aanmelding is geen opname: alleen het casusoverleg besluit, met redenen.")
    if family_case_id:
        intro += " " + _(
            "Elk gezinslid krijgt een eigen besluit; niemand wordt automatisch opgenomen."
        )
    return render(
        request,
        "careers/form.html",
        {
            "form": form,
            "title": _("Aanmelding (zorg over een persoon)"),
            "back": reverse("home"),
            "intro": intro,
            "hidden": {"gezin": family_case_id or ""},
        },
        status=400 if request.method == "POST" else 200,
    )


@page(C.CONCERNS_REPORT)
def my_concerns(request):
    """The concerns this user registered and what became of them."""
    rows = paginate(
        request, selectors.concerns_reported_by(request.user)
    )  # the shown page is what is read
    access.audit_concern_list(
        request.user, [r["concern"] for r in rows], categories=(DataCategory.IDENTITY,)
    )
    return render(request, "careers/my_concerns.html", {"rows": rows})


@page(C.CASES_MANAGE)
def concern_list(request):
    concerns = paginate(
        request, selectors.open_concerns().select_related("person")
    )  # the shown page is read
    access.audit_concern_list(request.user, concerns)
    return render(request, "careers/concern_list.html", {"concerns": concerns})


@require_http_methods(["GET", "POST"])
@page(C.CASES_MANAGE)
def concern_decide(request, pk: int):
    concern = access.get_concern_for_user(request.user, pk)
    family_cases = Case.objects.filter(
        director=request.user, kind=CaseKind.FAMILY, status=CaseStatus.OPEN
    )
    initial = {
        "decided_on": timezone.localdate(),
        "legal_basis": concern.person.source.legal_basis,
        "partners": [concern.organisation_id],
    }
    if concern.family_case_id:
        initial.update(outcome="family_member", family_case=concern.family_case_id)
    form = f.DecisionForm(
        request.POST if request.method == "POST" else None,
        family_cases=family_cases,
        initial=initial,
    )

    def call(d):
        return actions.do_decide(
            request.user,
            concern.pk,
            decided_on=d["decided_on"],
            outcome=d["outcome"],
            reasons=d["reasons"],
            legal_basis=d["legal_basis"],
            partner_ids=[p.pk for p in d["partners"]],
            criteria_ids=[c.pk for c in d["criteria"]],
            criteria_text=d["criteria_text"],
            review_due=d["review_due"],
            inclusion_end=d["inclusion_end"],
            family_case_id=d["family_case"],
            role=d["role"],
            contact_cadence_days=d["contact_cadence_days"],
        )

    done = _submit(request, form, call, _("Besluit van het casusoverleg vastgelegd."))
    if done:
        return (
            redirect("case_detail", pk=done.case_id) if done.case_id else redirect("concern_list")
        )
    return render(
        request,
        "careers/concern_decide.html",
        {"concern": concern, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- case forms ------------------------------------------------------------------------------


def _case_form(
    request,
    pk,
    form_cls,
    call,
    title,
    message,
    *,
    name,
    choices=None,
    initial=None,
    manager_only=False,
    form_kwargs=None,
):
    case, categories = access.get_case_for_user(request.user, pk)
    if manager_only:
        policy.require_case_manager(request.user, case)
    access.require_case_action(
        request.user, case, categories, name
    )  # the form only for who may submit it
    member_rows = selectors.members(case, categories)
    form = form_cls(
        request.POST if request.method == "POST" else None,
        initial=(initial(case) if callable(initial) else initial) or {},
        **(form_kwargs(case) if form_kwargs else {}),
    )
    for name, options in (choices or {}).items():
        form.fields[name].widget.choices = (
            options(case, member_rows) if callable(options) else options
        )
    for field in ("person", "from_person", "to_person"):
        if field in form.fields and not (choices or {}).get(field):
            form.fields[field].widget.choices = f.person_choices(member_rows)
    if "category" in form.fields:  # only the categories the user may write in
        form.fields["category"].choices = [
            (c, label) for c, label in form.fields["category"].choices if c in categories
        ]
    done = _submit(request, form, lambda d: call(case, d), message)
    if done:
        return redirect(reverse("case_detail", kwargs={"pk": case.pk}))
    return _form_page(
        request,
        form,
        f"{title} — {case.reference}",
        reverse("case_detail", kwargs={"pk": case.pk}),
        case=case,
    )


TODAY = lambda: {"contact_on": timezone.localdate()}  # noqa: E731


@require_http_methods(["GET", "POST"])
@page(C.CASES_VIEW)
def contact_create(request, pk: int):
    return _case_form(
        request,
        pk,
        f.ContactForm,
        lambda case, d: actions.do_log_contact(
            request.user,
            case.pk,
            person_id=d["person"],
            contact_on=d["contact_on"],
            kind=d["kind"],
            note=d["note"],
        ),
        _("Contact vastleggen"),
        _("Contact vastgelegd."),
        initial={"contact_on": timezone.localdate()},
        name="contact",
    )


@require_http_methods(["GET", "POST"])
@page(C.CASES_VIEW)
def record_create(request, pk: int):
    return _case_form(
        request,
        pk,
        f.RecordForm,
        lambda case, d: actions.do_add_case_record(
            request.user,
            case.pk,
            category=d["category"],
            occurred_on=d["occurred_on"],
            title=d["title"],
            text=d["text"],
            kind=d["kind"],
            person_id=d["person"],
        ),
        _("Gebeurtenis op de tijdlijn"),
        _("Gebeurtenis toegevoegd."),
        initial={"occurred_on": timezone.localdate()},
        name="record",
    )


@require_http_methods(["GET", "POST"])
@page(C.CASES_VIEW)
def relation_create(request, pk: int):
    return _case_form(
        request,
        pk,
        f.RelationForm,
        lambda case, d: actions.do_add_relation(
            request.user,
            case.pk,
            from_person_id=d["from_person"],
            kind=d["kind"],
            recorded_on=d["recorded_on"],
            to_person_id=d["to_person"],
            to_given_names=d["to_given_names"],
            to_surname=d["to_surname"],
            note=d["note"],
        ),
        _("Relatie vastleggen"),
        _("Relatie vastgelegd."),
        initial={"recorded_on": timezone.localdate()},
        name="relation",
    )


@require_http_methods(["GET", "POST"])
@page(C.CASES_VIEW)
def zrm_create(request, pk: int):
    return _case_form(
        request,
        pk,
        f.ZrmForm,
        lambda case, d: actions.do_add_zrm(
            request.user,
            case.pk,
            person_id=d["person"],
            assessed_on=d["assessed_on"],
            version=d["version"],
            assessor_name=d["assessor_name"],
            scores={k[6:]: v for k, v in d.items() if k.startswith("score_")},
        ),
        _("ZRM-meting"),
        _("ZRM-meting vastgelegd."),
        initial={"assessed_on": timezone.localdate()},
        name="zrm",
    )


@require_http_methods(["GET", "POST"])
@page(C.CASES_MANAGE)
def review_create(request, pk: int):
    def open_work(case):
        enrolments, plan_actions = actions.open_work(case)
        return {"enrolments": enrolments, "plan_actions": plan_actions}

    return _case_form(
        request,
        pk,
        f.ReviewForm,
        lambda case, d: actions.do_review(request.user, case.pk, **f.ReviewForm.review_data(d)),
        _("Periodieke toets"),
        _("Toets vastgelegd."),
        initial={"held_on": timezone.localdate()},
        manager_only=True,
        form_kwargs=open_work,
        name="review",
    )


@require_http_methods(["GET", "POST"])
@page(C.CASES_MANAGE)
def plan_roles(request, pk: int):
    def leads(case, _rows):
        return [("", "—")] + [
            (u.pk, f"{u.get_full_name() or u.username} ({u.organisation})")
            for u in policy.possible_leads(case)
        ]

    return _case_form(
        request,
        pk,
        f.PlanRolesForm,
        lambda case, d: actions.do_set_plan_roles(
            request.user,
            case.pk,
            lead_professional_id=d["lead_professional"],
            contact_cadence_days=d["contact_cadence_days"],
        ),
        _("Regiehouder en contactfrequentie"),
        _("Plan bijgewerkt."),
        choices={"lead_professional": leads},
        manager_only=True,
        name="plan_roles",
        initial=lambda case: {
            "lead_professional": case.lead_professional_id,
            "contact_cadence_days": case.contact_cadence_days,
        },
    )


@require_http_methods(["GET", "POST"])
@page(C.CASES_MANAGE)
def goal_create(request, pk: int):
    return _case_form(
        request,
        pk,
        f.GoalForm,
        lambda case, d: actions.do_add_goal(
            request.user,
            case.pk,
            domain=d["domain"],
            description=d["description"],
            person_id=d["person"],
        ),
        _("Doel in het plan van aanpak"),
        _("Doel toegevoegd."),
        manager_only=True,
        name="goal",
    )


@require_http_methods(["GET", "POST"])
@page(C.CASES_VIEW)
def action_create(request, pk: int):
    def goals(case, _rows):  # goals in a category the user may see
        categories = policy.case_categories(request.user, case)
        return [
            (g.pk, f"{g.get_domain_display()}: {g.description}")
            for g in Goal.objects.filter(case=case)
            if g.category in categories
        ]

    def orgs(case, _rows):  # the case director may assign any partner; a partner only itself
        participants = case.participants.select_related("organisation")
        if not policy.is_case_manager(request.user, case):
            participants = participants.filter(organisation_id=request.user.organisation_id)
        return [(p.organisation_id, p.organisation.name) for p in participants]

    return _case_form(
        request,
        pk,
        f.ActionForm,
        lambda case, d: actions.do_add_action(
            request.user,
            d["goal"],
            description=d["description"],
            organisation_id=d["organisation"],
            owner_name=d["owner_name"],
            due_on=d["due_on"],
            person_id=d["person"],
            case_id=case.pk,
        ),
        _("Actie in het plan van aanpak"),
        _("Actie toegevoegd."),
        choices={"goal": goals, "organisation": orgs},
        initial={"organisation": request.user.organisation_id},
        name="action",
    )


@require_POST
@page(C.CASES_VIEW)
def action_status(request, pk: int):
    form = f.ActionStatusForm(request.POST)
    action = None
    if form.is_valid():
        try:
            action = actions.do_update_action_status(
                request.user, pk, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
    else:
        messages.error(request, _("Kies een geldige status."))
    if action:
        messages.success(request, _("Status bijgewerkt."))
        return redirect("case_detail", pk=action.goal.case_id)
    return redirect(request.POST.get("next") or "case_list")


@require_http_methods(["GET", "POST"])
@page(C.CASES_MANAGE)
def enrol_create(request, pk: int):
    def programmes(case, _rows):
        return [("", "—")] + [
            (p.pk, f"{p.name} ({p.active}/{p.capacity} bezet, {p.waiting} wachtend)")
            for p in selectors.programme_rows()
        ]

    return _case_form(
        request,
        pk,
        f.EnrolForm,
        lambda case, d: actions.do_enrol(
            request.user,
            case.pk,
            programme_id=d["programme"],
            person_id=d["person"],
            requested_on=d["requested_on"],
        ),
        _("Aanmelden voor een programma"),
        _("Aangemeld. Bij een vol programma staat de persoon op de wachtlijst."),
        choices={"programme": programmes},
        manager_only=True,
        initial={"requested_on": timezone.localdate()},
        name="enrol",
    )


@require_http_methods(["GET", "POST"])
@page(C.CASES_MANAGE)
def coach_match(request, pk: int):
    def coaches(case, _rows):
        return [("", "—")] + [
            (c.pk, f"{c.name} — {c.get_kind_display()}: {c.expertise}")
            for c in Coach.objects.filter(available=True)
        ]

    return _case_form(
        request,
        pk,
        f.CoachMatchForm,
        lambda case, d: actions.do_match_coach(
            request.user, case.pk, coach_id=d["coach"], since=d["since"]
        ),
        _("Coach koppelen"),
        _("Coach gekoppeld."),
        choices={"coach": coaches},
        manager_only=True,
        initial={"since": timezone.localdate()},
        name="coach",
    )


@require_http_methods(["GET", "POST"])
@page(C.CASES_MANAGE)
def enrolment_update(request, pk: int):
    enrolment, case = access.get_enrolment_for_user(request.user, pk)
    form = f.EnrolmentEventForm(
        request.POST if request.method == "POST" else None,
        initial={
            "on": timezone.localdate(),
            "sessions_planned": enrolment.sessions_planned,
            "sessions_attended": enrolment.sessions_attended,
        },
    )
    job_form = f.JobOfferForm(request.POST if request.method == "POST" else None, prefix="job")
    if request.method == "POST" and "job-placed_on" in request.POST:
        done = _submit(
            request,
            job_form,
            lambda d: actions.do_offer_job(request.user, pk, **d),
            _("Baan aangeboden."),
        )
    else:
        done = _submit(
            request,
            form,
            lambda d: actions.do_update_enrolment(request.user, pk, **d),
            _("Inschrijving bijgewerkt."),
        )
    if done:
        return redirect("case_detail", pk=case.pk)
    return render(
        request,
        "careers/enrolment.html",
        {"enrolment": enrolment, "form": form, "job_form": job_form, "case": case},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@page(C.CASES_MANAGE)
def alert_resolve(request, pk: int):
    try:
        alert = actions.do_resolve_alert(request.user, pk)
    except ValidationError:
        messages.error(request, _("Deze melding bestaat niet."))
        return redirect("home")
    messages.success(request, _("Melding afgehandeld."))
    return redirect(
        request.POST.get("next") or reverse("case_detail", kwargs={"pk": alert.case_id})
    )


# --- interventions, VOG, outcomes ------------------------------------------------------------------


@page(C.CASES_VIEW)
def catalogue(request):
    return render(
        request,
        "careers/catalogue.html",
        {
            "interventions": Intervention.objects.all(),
            "programmes": selectors.programme_rows(),
            "coaches": Coach.objects.select_related("organisation"),
            "can_manage": policy.has(request.user, C.PROGRAMMES_MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@page(C.PROGRAMMES_MANAGE)
def programme_detail(request, pk: int):
    programme = get_object_or_404(Programme.objects.select_related("intervention", "owner"), pk=pk)
    is_owner = programme.owner_id == request.user.pk
    form = f.ComparisonForm(
        request.POST if request.method == "POST" else None,
        initial={
            "case_ids": ", ".join(programme.comparison_cases.values_list("reference", flat=True)),
            "note": programme.comparison_note,
        },
    )

    def call(d):
        refs = [r.strip() for r in d["case_ids"].replace("\n", ",").split(",") if r.strip()]
        ids = list(Case.objects.filter(reference__in=refs).values_list("pk", flat=True))
        if len(ids) != len(set(refs)):
            raise ValidationError({"case_ids": _("Onbekend zaaknummer in de lijst.")})
        return actions.do_set_comparison_group(
            request.user, programme.pk, case_ids=ids, note=d["note"]
        )

    if request.method == "POST" and not is_owner:
        policy.deny(
            request.user,
            "only the programme owner",
            object_type="programme",
            object_id=programme.pk,
        )
    done = _submit(request, form, call, _("Vergelijkingsgroep opgeslagen."))
    if done:
        return redirect("programme_detail", pk=programme.pk)
    mine = list(
        selectors.waiting_list(programme).filter(case__director=request.user).select_related("case")
    )
    figures = selectors._group_figures(list(programme.enrolments.all()), [], timezone.localdate())
    comparison = selectors.comparison_figures(
        programme.comparison_cases.all(), timezone.localdate()
    )
    return render(
        request,
        "careers/programme.html",
        {
            "programme": programme,
            "form": form,
            "is_owner": is_owner,
            "waiting": mine,
            "figures": figures,
            "comparison": comparison,
            "active": programme.enrolments.filter(status="active").count(),
            "waiting_count": selectors.waiting_list(programme).count(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _catalogue_form(request, pk, model, form_cls, save, fields, title, message):
    item = get_object_or_404(model, pk=pk) if pk else None
    initial = {name: getattr(item, name) for name in fields} if item else None
    form = form_cls(request.POST if request.method == "POST" else None, initial=initial)
    done = _submit(request, form, lambda d: save(request.user, pk, **d), message)
    if done:
        return redirect("catalogue")
    return _form_page(request, form, title, reverse("catalogue"))


@require_http_methods(["GET", "POST"])
@page(C.PROGRAMMES_MANAGE)
def intervention_edit(request, pk: int | None = None):
    return _catalogue_form(
        request,
        pk,
        Intervention,
        f.InterventionForm,
        catalogue_actions.do_save_intervention,
        catalogue_actions.INTERVENTION_FIELDS,
        _("Interventie"),
        _("Interventie opgeslagen."),
    )


@require_http_methods(["GET", "POST"])
@page(C.PROGRAMMES_MANAGE)
def programme_edit(request, pk: int | None = None):
    return _catalogue_form(
        request,
        pk,
        Programme,
        f.ProgrammeForm,
        catalogue_actions.do_save_programme,
        catalogue_actions.PROGRAMME_FIELDS,
        _("Programma"),
        _("Programma opgeslagen."),
    )


@require_http_methods(["GET", "POST"])
@page(C.PROGRAMMES_MANAGE)
def coach_edit(request, pk: int | None = None):
    return _catalogue_form(
        request,
        pk,
        Coach,
        f.CoachForm,
        catalogue_actions.do_save_coach,
        catalogue_actions.COACH_FIELDS,
        _("Coach"),
        _("Coach opgeslagen."),
    )


@page(C.CASES_VIEW)
def vog_list(request):
    return render(
        request,
        "careers/vog_list.html",
        {
            "items": VogGuidance.objects.all(),
            "can_edit": policy.has(request.user, C.PROGRAMMES_MANAGE),
            "print": request.GET.get("afdrukken") == "1",
        },
    )


@require_http_methods(["GET", "POST"])
@page(C.PROGRAMMES_MANAGE)
def vog_edit(request, pk: int | None = None):
    item = get_object_or_404(VogGuidance, pk=pk) if pk else None
    initial = {k: getattr(item, k) for k in actions.VOG_FIELDS} if item else {}
    form = f.VogForm(request.POST if request.method == "POST" else None, initial=initial)
    done = _submit(
        request,
        form,
        lambda d: actions.do_save_vog_guidance(request.user, pk, **d),
        _("VOG-wijzer opgeslagen."),
    )
    if done:
        return redirect("vog_list")
    return _form_page(
        request,
        form,
        _("VOG-wijzer: functie"),
        reverse("vog_list"),
        intro=_(
            "Waarden zijn bewerkbare gegevens; controleer ze bij Justis (screeningsprofielen)."
        ),
    )


@page(C.MONITORING_VIEW)
def outcomes(request):
    today = timezone.localdate()
    return render(
        request,
        "careers/outcomes.html",
        {
            "programmes": selectors.programme_outcomes(today),
            "persons": selectors.person_outcomes(today),
        },
    )
