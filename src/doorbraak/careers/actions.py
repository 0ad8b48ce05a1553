"""Writes on cases. Each action checks access through the policy layer, validates completely
before it writes, runs atomically and is audited in the same transaction: nothing is saved half.

Nothing here scores, ranks or suggests persons: inclusion exists only through a recorded decision
of a case conference, one decision per person (family members are never included automatically)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.limits import TEXT_MAX, birth_date_error, bounded_int
from doorbraak.partners.models import DataCategory, Organisation
from doorbraak.policy import Capability as C
from doorbraak.privacy.models import ActivityKind, ProcessingActivity
from doorbraak.registers.models import Person

from . import access
from .models import (
    OPEN_ACTION,
    OPEN_ENROLMENT,
    Alert,
    AlertKind,
    Case,
    CaseDecision,
    CaseKind,
    CaseMember,
    CaseParticipant,
    CaseRecord,
    CaseStatus,
    Coach,
    CoachMatch,
    Concern,
    ConcernStatus,
    Contact,
    ContactKind,
    DecisionOutcome,
    Enrolment,
    EnrolmentStatus,
    ExitChoice,
    ExitReason,
    Goal,
    InclusionCriterion,
    MemberRole,
    PlanAction,
    Programme,
    RecordKind,
    Relation,
    RelationKind,
    Review,
    VogGuidance,
    ZrmAssessment,
    ZrmDomain,
    domain_category,
)

MAX_REVIEW_INTERVAL = timedelta(days=183)  # at least every 6 months
CASE_TYPE_CODES = {CaseKind.INDIVIDUAL: "casus-doorgroeier", CaseKind.FAMILY: "casus-gezin"}
P = policy.PURPOSE_CASE_WORK


def _log(user, action, object_type, obj, categories, **detail):
    audit.record(
        action,
        user=user,
        purpose=P,
        object_type=object_type,
        object_id=obj.pk,
        categories=list(categories),
        detail=detail or None,
    )


def _check(errors: dict) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _open_case(user, case_id):
    case, categories = access.get_case_for_user(user, case_id)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(
            {"case": _("Deze casus is afgesloten; er kan niets meer aan worden toegevoegd.")}
        )
    return case, categories


def _member_person(case, person_id, field="person") -> Person:
    member = case.members.filter(person_id=person_id).select_related("person").first()
    if member is None and case.subject_id == _int(person_id) and case.subject_id is not None:
        return case.subject
    if member is None:
        raise ValidationError({field: _("Kies een persoon die in deze casus is opgenomen.")})
    return member.person


def _int(value):
    """An id or number from input; None when it is not one the database can hold."""
    return bounded_int(value)


def _today():
    return timezone.localdate()


# --- timeline ------------------------------------------------------------------------


def do_add_case_record(
    user,
    case_id: int,
    *,
    category: str,
    occurred_on,
    title: str,
    text: str = "",
    kind: str = RecordKind.OTHER,
    person_id=None,
) -> CaseRecord:
    case, categories = access.get_case_for_user(user, case_id)
    if category not in DataCategory.values:
        raise ValidationError({"category": _("Onbekende gegevenscategorie.")})
    policy.require_category(user, case, categories, category)
    if case.status != CaseStatus.OPEN:
        raise ValidationError({"case": _("Aan een afgesloten casus kan niets worden toegevoegd.")})
    person = _member_person(case, person_id) if person_id else None
    _check(
        {
            "title": not (title or "").strip() and _("Onderwerp is verplicht."),
            "kind": kind not in RecordKind.values and _("Onbekende soort gebeurtenis."),
            "occurred_on": occurred_on
            and occurred_on > _today()
            and _("Een gebeurtenis kan niet in de toekomst liggen."),
        }
    )
    with transaction.atomic():
        record = CaseRecord.objects.create(
            case=case,
            category=category,
            organisation=user.organisation,
            occurred_on=occurred_on,
            title=title.strip(),
            text=text,
            kind=kind,
            person=person,
        )
        _log(user, AuditAction.CREATE, "case_record", record, [category], case=case.pk)
    return record


# --- entry: concern and case conference decision ----------------------------------------


def do_report_concern(
    user,
    *,
    given_names: str,
    surname: str,
    received_on: date,
    description: str,
    surname_prefix: str = "",
    birth_date=None,
    bsn: str = "",
    family_case_id=None,
) -> Concern:
    """A partner registers a concern; the person is looked up by BSN or recorded as named."""
    policy.require(user, C.CONCERNS_REPORT, object_type="concern")
    family_case = None
    if family_case_id:
        family_case, categories = _open_case(user, family_case_id)
        if family_case.kind != CaseKind.FAMILY:
            raise ValidationError(
                {"family_case": _("Alleen een gezinscasus kan gezinsleden opnemen.")}
            )
    bsn = (bsn or "").strip()
    _check(
        {
            "given_names": not (given_names or "").strip() and _("Voornaam is verplicht."),
            "surname": not (surname or "").strip() and _("Achternaam is verplicht."),
            "description": (
                len((description or "").strip()) < 10
                and _("Beschrijf de zorg (ten minste 10 tekens).")
            )
            or (
                len(description) > TEXT_MAX
                and _("Beschrijf de zorg in ten hoogste %(n)s tekens.") % {"n": TEXT_MAX}
            ),
            "received_on": received_on
            and received_on > _today()
            and _("De datum kan niet in de toekomst liggen."),
            "birth_date": birth_date_error(birth_date),
            "bsn": bsn
            and not _valid_bsn(bsn)
            and _("Dit is geen geldig BSN (9 cijfers, elfproef)."),
        }
    )
    with transaction.atomic():
        person = Person.objects.filter(bsn=bsn, anonymised=False).first() if bsn else None
        if person is None:
            person = Person.objects.create(
                source=_case_source(CaseKind.INDIVIDUAL),
                source_file="aanmelding",
                received_on=received_on,
                given_names=given_names.strip(),
                surname_prefix=(surname_prefix or "").strip(),
                surname=surname.strip(),
                birth_date=birth_date,
                bsn=bsn,
            )
        concern = Concern.objects.create(
            person=person,
            organisation=user.organisation,
            reported_by=user,
            received_on=received_on,
            description=description.strip(),
            family_case=family_case,
        )
        _log(
            user,
            AuditAction.CREATE,
            "concern",
            concern,
            [DataCategory.IDENTITY, DataCategory.CARE],
            person=person.pk,
            family_case=family_case.pk if family_case else None,
        )
    return concern


def _valid_bsn(value: str) -> bool:
    from stdnum.nl import bsn

    return bsn.is_valid(value)


def _case_source(kind: str) -> ProcessingActivity:
    activity = ProcessingActivity.objects.filter(code=CASE_TYPE_CODES[kind]).first()
    activity = (
        activity
        or ProcessingActivity.objects.filter(kind=ActivityKind.CASE_TYPE).order_by("pk").first()
    )
    if activity is None:
        raise ValidationError({"case_type": _("Er is geen zaaktype in het verwerkingsregister.")})
    return activity


def _next_reference(on: date) -> str:
    prefix = f"DBR-{on.year}-"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def do_decide(
    user,
    concern_id: int,
    *,
    decided_on: date,
    outcome: str,
    reasons: str,
    legal_basis: str,
    partner_ids,
    criteria_ids=(),
    criteria_text: str = "",
    review_due=None,
    inclusion_end=None,
    family_case_id=None,
    role: str = MemberRole.SUBJECT,
    contact_cadence_days: int = 14,
) -> CaseDecision:
    """Record the case conference's decision on one concern (one person)."""
    policy.require(user, C.CASES_MANAGE, object_type="concern", object_id=concern_id)
    concern = Concern.objects.filter(pk=concern_id).select_related("person", "family_case").first()
    if concern is None:
        raise ValidationError({"concern": _("Deze aanmelding bestaat niet.")})
    if concern.status != ConcernStatus.OPEN:
        raise ValidationError({"concern": _("Over deze aanmelding is al besloten.")})
    include = outcome in (
        DecisionOutcome.INDIVIDUAL,
        DecisionOutcome.FAMILY_NEW,
        DecisionOutcome.FAMILY_MEMBER,
    )
    partner_ids = {_int(p) for p in partner_ids or []}
    partners = list(policy.case_work_organisations().filter(pk__in=partner_ids - {None}))
    refused = sorted(
        Organisation.objects.filter(
            pk__in=partner_ids - {None} - {p.pk for p in partners}
        ).values_list("name", flat=True)
    )
    criteria = list(
        InclusionCriterion.objects.filter(pk__in=[_int(c) for c in criteria_ids or []], active=True)
    )
    family_case = None
    family_case_id = family_case_id or (
        concern.family_case_id if outcome == DecisionOutcome.FAMILY_MEMBER else None
    )
    if outcome == DecisionOutcome.FAMILY_MEMBER:
        if not family_case_id:
            raise ValidationError(
                {"family_case": _("Kies de gezinscasus waarin deze persoon wordt opgenomen.")}
            )
        family_case, _cats = _open_case(user, family_case_id)
        policy.require_case_manager(user, family_case)
        if family_case.kind != CaseKind.FAMILY:
            raise ValidationError({"family_case": _("Dit is geen gezinscasus.")})
        if family_case.members.filter(person=concern.person).exists():
            raise ValidationError(
                {"family_case": _("Deze persoon is al opgenomen in deze gezinscasus.")}
            )
    errors = {
        "outcome": outcome not in DecisionOutcome.values and _("Kies een besluit."),
        "decided_on": (not decided_on and _("Datum casusoverleg is verplicht."))
        or (decided_on > _today() and _("Het casusoverleg kan niet in de toekomst liggen."))
        or (
            decided_on < concern.received_on
            and _("Het casusoverleg kan niet vóór de aanmelding liggen.")
        ),
        "reasons": len((reasons or "").strip()) < 10
        and _("Motiveer het besluit (ten minste 10 tekens)."),
        "legal_basis": not (legal_basis or "").strip() and _("Vermeld de grondslag."),
        "partners": (
            refused
            and _(
                "Deze organisaties hebben geen convenantafspraak voor de casusaanpak en kunnen geen partner zijn: "
                "%(orgs)s."
            )
            % {"orgs": ", ".join(refused)}
        )
        or (
            len(partners) + len(refused) < len(partner_ids)
            and _("Onbekende organisatie als partner.")
        )
        or (not partners and _("Vermeld de partners die aan het casusoverleg deelnamen.")),
        "role": role not in MemberRole.values and _("Onbekende rol."),
    }
    if include and decided_on:
        errors["criteria"] = (
            not criteria
            and not (criteria_text or "").strip()
            and _("Vermeld de criteria waaraan is voldaan (vink aan of licht toe).")
        )
        errors["review_due"] = (
            not review_due and _("Een toetsdatum is verplicht bij opname.")
        ) or (
            review_due
            and (review_due <= decided_on or review_due > decided_on + MAX_REVIEW_INTERVAL)
            and _("De toetsdatum ligt na het besluit en uiterlijk 6 maanden later.")
        )
        errors["inclusion_end"] = (
            not inclusion_end and _("Een einddatum is verplicht bij opname.")
        ) or (
            inclusion_end
            and review_due
            and inclusion_end < review_due
            and _("De einddatum ligt niet vóór de toetsdatum.")
        )
        errors["contact_cadence_days"] = not (1 <= (_int(contact_cadence_days) or 0) <= 90) and _(
            "Contactfrequentie is 1 tot 90 dagen."
        )
    _check(errors)
    with transaction.atomic():
        case = family_case
        if outcome in (DecisionOutcome.INDIVIDUAL, DecisionOutcome.FAMILY_NEW):
            kind = CaseKind.INDIVIDUAL if outcome == DecisionOutcome.INDIVIDUAL else CaseKind.FAMILY
            case = Case.objects.create(
                reference=_next_reference(decided_on),
                kind=kind,
                case_type=_case_source(kind),
                subject=concern.person,
                director=user,
                opened_on=decided_on,
                next_review_due=review_due,
                inclusion_end=inclusion_end,
                contact_cadence_days=_int(contact_cadence_days),
                summary=concern.description,
            )
        decision = CaseDecision.objects.create(
            concern=concern,
            person=concern.person,
            decided_on=decided_on,
            outcome=outcome,
            case=case,
            criteria_text=(criteria_text or "").strip(),
            reasons=reasons.strip(),
            legal_basis=legal_basis.strip(),
            review_due=review_due if include else None,
            inclusion_end=inclusion_end if include else None,
            decided_by=user,
        )
        decision.criteria.set(criteria)
        decision.partners.set(partners)
        if case is not None:
            CaseMember.objects.create(
                case=case,
                person=concern.person,
                decision=decision,
                since=decided_on,
                role=MemberRole.SUBJECT if outcome != DecisionOutcome.FAMILY_MEMBER else role,
            )
            orgs = {p.pk for p in partners} | (
                {user.organisation_id} if user.organisation_id else set()
            )
            existing = set(case.participants.values_list("organisation_id", flat=True))
            CaseParticipant.objects.bulk_create(
                [
                    CaseParticipant(case=case, organisation_id=o, since=decided_on)
                    for o in sorted(orgs - existing)
                ]
            )
        concern.status = ConcernStatus.DECIDED
        concern.save(update_fields=["status"])
        _log(
            user,
            AuditAction.CREATE,
            "case_decision",
            decision,
            [DataCategory.IDENTITY, DataCategory.CARE],
            outcome=outcome,
            case=case.pk if case else None,
            concern=concern.pk,
        )
    return decision


# --- review and exit ---------------------------------------------------------------------


def open_work(case) -> tuple[list, list]:
    """The enrolments (waiting or taking part) and plan actions (planned or busy) still open in a
    case: at exit, each needs a decision on what becomes of it."""
    enrolments = list(
        case.enrolments.filter(status__in=OPEN_ENROLMENT)
        .select_related("programme", "person")
        .order_by("requested_on", "id")
    )
    plan_actions = list(
        PlanAction.objects.filter(goal__case=case, status__in=OPEN_ACTION)
        .select_related("goal", "organisation")
        .order_by("due_on", "id")
    )
    return enrolments, plan_actions


def _exit_choices(kind: str, rows, given, errors: dict) -> dict:
    """{object: choice} for every open row; an error per row without a valid choice, and for ids
    that are not open work of this case."""
    given = {str(k): v for k, v in (given or {}).items()}
    chosen = {}
    for row in rows:
        value = given.pop(str(row.pk), "")
        if value not in ExitChoice.values:
            errors[f"{kind}_{row.pk}"] = _(
                "Kies wat er bij uitstroom mee gebeurt: beëindigen of overdragen aan "
                "reguliere zorg."
            )
        else:
            chosen[row] = value
    if given:
        errors[f"{kind}s"] = _("Onbekend of niet meer open in deze casus: %(ids)s.") % {
            "ids": ", ".join(sorted(given))
        }
    return chosen


def _give_freed_place(user, programme, on: date) -> None:
    """A place that comes free goes to the first on the waiting list (first come, first served)."""
    nxt = (
        Enrolment.objects.select_for_update()
        .filter(programme=programme, status=EnrolmentStatus.WAITING)
        .order_by("requested_on", "id")
        .first()
    )
    if nxt is not None:
        nxt.status, nxt.started_on = EnrolmentStatus.ACTIVE, on
        nxt.save(update_fields=["status", "started_on"])
        audit.record(
            AuditAction.UPDATE,
            user=user,
            purpose=P,
            object_type="enrolment",
            object_id=nxt.pk,
            categories=[DataCategory.EDUCATION],
            detail={"from_waiting_list": True},
        )


def _close_open_work(user, case, on: date, enrolments: dict, plan_actions: dict) -> None:
    """Exit: end or hand over each open enrolment and action, free the places, close the goals."""
    for enrolment, choice in enrolments.items():
        was_active = enrolment.status == EnrolmentStatus.ACTIVE
        enrolment.status = (
            EnrolmentStatus.ENDED if choice == ExitChoice.END else EnrolmentStatus.HANDED_OVER
        )
        enrolment.ended_on = on
        if enrolment.programme.has_job_guarantee and enrolment.job_status in ("", "pending"):
            enrolment.job_status = "lapsed"
        enrolment.save(update_fields=["status", "ended_on", "job_status"])
        _log(
            user, AuditAction.UPDATE, "enrolment", enrolment, [DataCategory.EDUCATION], exit=choice
        )
        if was_active:
            _give_freed_place(user, enrolment.programme, on)
    handed_goals = set()
    for action, choice in plan_actions.items():
        action.status = (
            PlanAction.Status.CANCELLED
            if choice == ExitChoice.END
            else PlanAction.Status.HANDED_OVER
        )
        action.save(update_fields=["status"])
        if choice == ExitChoice.HANDOVER:
            handed_goals.add(action.goal_id)
        _log(user, AuditAction.UPDATE, "plan_action", action, [action.goal.category], exit=choice)
    case.coach_matches.filter(until__isnull=True).update(
        until=on
    )  # the coach's place comes free too
    for goal in case.goals.filter(status=Goal.Status.OPEN):
        goal.status = Goal.Status.HANDED_OVER if goal.pk in handed_goals else Goal.Status.STOPPED
        goal.save(update_fields=["status"])
        _log(user, AuditAction.UPDATE, "plan_goal", goal, [goal.category], exit=goal.status)


_CHOOSABLE_EXIT_REASONS = frozenset(ExitReason.values) - {ExitReason.NOT_RECORDED}


def do_review(
    user,
    case_id: int,
    *,
    held_on: date,
    suitable: str,
    necessary: str,
    balanced: str,
    outcome: str,
    next_review_due=None,
    inclusion_end=None,
    enrolments=None,
    actions=None,
    exit_reason: str = "",
) -> Review:
    """The periodic review. At exit (``outcome`` exit) the reason of exit is required (one of
    EXIT_REASON_CHOICES) and every open enrolment and action needs a choice in ``enrolments`` /
    ``actions`` ({id: "end" | "handover"}); the places come free."""
    case, _cats = _open_case(user, case_id)
    policy.require_case_manager(user, case)
    errors = {
        "held_on": (not held_on and _("Datum is verplicht."))
        or (held_on and held_on > _today() and _("De toets kan niet in de toekomst liggen."))
        or (
            held_on
            and held_on < case.opened_on
            and _("De toets ligt niet vóór de start van de casus.")
        ),
        "suitable": len((suitable or "").strip()) < 5
        and _("Geef aan waarom de aanpak geschikt is."),
        "necessary": len((necessary or "").strip()) < 5
        and _("Geef aan waarom de aanpak noodzakelijk is."),
        "balanced": len((balanced or "").strip()) < 5
        and _("Geef aan waarom de aanpak evenwichtig is."),
        "outcome": outcome not in Review.Outcome.values and _("Kies voortzetten of uitstromen."),
    }
    if outcome == Review.Outcome.CONTINUE and held_on:
        errors["next_review_due"] = (
            not next_review_due and _("Bij voortzetten is een volgende toetsdatum verplicht.")
        ) or (
            next_review_due
            and (next_review_due <= held_on or next_review_due > held_on + MAX_REVIEW_INTERVAL)
            and _("De volgende toets ligt na deze toets en uiterlijk 6 maanden later.")
        )
    exit_reason = exit_reason or ""
    if outcome == Review.Outcome.EXIT and exit_reason not in _CHOOSABLE_EXIT_REASONS:
        errors["exit_reason"] = _("Kies de reden van uitstroom.")
    elif outcome != Review.Outcome.EXIT and exit_reason:
        errors["exit_reason"] = _("Een reden van uitstroom hoort alleen bij uitstromen.")
    exit_enrolments, exit_actions = {}, {}
    if outcome == Review.Outcome.EXIT:
        open_enrolments, open_actions = open_work(case)
        exit_enrolments = _exit_choices("enrolment", open_enrolments, enrolments, errors)
        exit_actions = _exit_choices("action", open_actions, actions, errors)
    _check(errors)
    with transaction.atomic():
        review = Review.objects.create(
            case=case,
            held_on=held_on,
            suitable=suitable.strip(),
            necessary=necessary.strip(),
            balanced=balanced.strip(),
            outcome=outcome,
            by=user,
            next_review_due=next_review_due if outcome == Review.Outcome.CONTINUE else None,
        )
        open_alerts = case.alerts.filter(resolved_on__isnull=True)
        if outcome == Review.Outcome.EXIT:
            # Exit closes the case; closing starts the retention clock (privacy.retention).
            case.status = CaseStatus.CLOSED
            case.closed_on = held_on
            case.exit_reason = exit_reason
            case.next_review_due = None
            case.save(update_fields=["status", "closed_on", "exit_reason", "next_review_due"])
            open_alerts.update(resolved_on=held_on)
            _close_open_work(user, case, held_on, exit_enrolments, exit_actions)
        else:
            case.next_review_due = next_review_due
            if inclusion_end:
                case.inclusion_end = inclusion_end
            case.save(update_fields=["next_review_due", "inclusion_end"])
            open_alerts.filter(
                kind__in=[AlertKind.REVIEW_DUE, AlertKind.REVIEW_OVERDUE, AlertKind.INCLUSION_END]
            ).update(resolved_on=held_on)
        _log(
            user,
            AuditAction.CREATE if outcome == Review.Outcome.CONTINUE else AuditAction.UPDATE,
            "case_review",
            review,
            [DataCategory.CARE],
            case=case.pk,
            outcome=outcome,
            **({"exit_reason": exit_reason} if outcome == Review.Outcome.EXIT else {}),
        )
    return review


# --- the person and their world -------------------------------------------------------------


def do_add_relation(
    user,
    case_id: int,
    *,
    from_person_id,
    kind: str,
    recorded_on: date,
    to_person_id=None,
    to_given_names: str = "",
    to_surname: str = "",
    note: str = "",
) -> Relation:
    case, categories = _open_case(user, case_id)
    policy.require_category(user, case, categories, DataCategory.IDENTITY)
    from_person = _member_person(case, from_person_id, "from_person")
    to_person = None
    if to_person_id:
        to_person = _member_person(case, to_person_id, "to_person")
    _check(
        {
            "kind": kind not in RelationKind.values and _("Kies het soort relatie."),
            "recorded_on": (not recorded_on and _("Datum is verplicht."))
            or (
                recorded_on
                and recorded_on > _today()
                and _("De datum kan niet in de toekomst liggen.")
            ),
            "to_person": (
                to_person is None
                and not ((to_given_names or "").strip() and (to_surname or "").strip())
                and _("Kies een persoon uit de casus of vul naam en achternaam in.")
            )
            or (
                to_person is not None
                and to_person.pk == from_person.pk
                and _("Een relatie gaat over twee personen.")
            ),
        }
    )
    with transaction.atomic():
        if to_person is None:
            to_person = Person.objects.create(
                source=case.case_type,
                source_file="netwerk",
                received_on=recorded_on,
                given_names=to_given_names.strip(),
                surname=to_surname.strip(),
            )
        relation = Relation.objects.create(
            case=case,
            from_person=from_person,
            to_person=to_person,
            kind=kind,
            source=user.organisation,
            recorded_on=recorded_on,
            note=note.strip(),
        )
        _log(
            user,
            AuditAction.CREATE,
            "case_relation",
            relation,
            [DataCategory.IDENTITY],
            case=case.pk,
        )
    return relation


def do_add_zrm(
    user,
    case_id: int,
    *,
    person_id,
    assessed_on: date,
    scores: dict,
    version: str = "ZRM 2017",
    assessor_name: str = "",
) -> ZrmAssessment:
    case, categories = _open_case(user, case_id)
    policy.require_category(user, case, categories, DataCategory.CARE)
    person = _member_person(case, person_id)
    clean, errors = {}, {}
    for domain in ZrmDomain.values:
        value = (scores or {}).get(domain)
        if value in (None, ""):
            continue
        number = _int(value)
        if number is None or not 1 <= number <= 5:
            errors[f"score_{domain}"] = _("Een score is 1 tot en met 5.")
        else:
            clean[domain] = number
    unknown = set(scores or {}) - set(ZrmDomain.values)
    errors["scores"] = (
        unknown and _("Onbekend domein: %(d)s.") % {"d": ", ".join(sorted(unknown))}
    ) or (not clean and not errors and _("Scoor ten minste één domein."))
    errors["version"] = not (version or "").strip() and _("Vermeld de ZRM-versie.")
    errors["assessed_on"] = (not assessed_on and _("Datum is verplicht.")) or (
        assessed_on and assessed_on > _today() and _("De datum kan niet in de toekomst liggen.")
    )
    _check(errors)
    with transaction.atomic():
        zrm = ZrmAssessment.objects.create(
            case=case,
            person=person,
            assessed_on=assessed_on,
            assessor=user,
            version=version.strip(),
            assessor_name=(assessor_name or "").strip() or (user.get_full_name() or user.username),
            scores=clean,
        )
        _log(user, AuditAction.CREATE, "zrm_assessment", zrm, [DataCategory.CARE], case=case.pk)
    return zrm


# --- plan -------------------------------------------------------------------------------------


def do_set_plan_roles(
    user, case_id: int, *, lead_professional_id=None, contact_cadence_days
) -> Case:
    case, _cats = _open_case(user, case_id)
    policy.require_case_manager(user, case)
    lead = None
    if lead_professional_id:
        lead = policy.possible_leads(case).filter(pk=_int(lead_professional_id)).first()
    _check(
        {
            "lead_professional": lead_professional_id
            and lead is None
            and _(
                "De regiehouder is een procesregisseur of partnerprofessional bij een partner die aan de casus "
                "deelneemt."
            ),
            "contact_cadence_days": not (1 <= (_int(contact_cadence_days) or 0) <= 90)
            and _("Contactfrequentie is 1 tot 90 dagen."),
        }
    )
    with transaction.atomic():
        case.lead_professional = lead
        case.contact_cadence_days = _int(contact_cadence_days)
        case.save(update_fields=["lead_professional", "contact_cadence_days"])
        audit.record(
            AuditAction.UPDATE,
            user=user,
            purpose=P,
            object_type="case",
            object_id=case.pk,
            categories=[DataCategory.IDENTITY],
            detail={"lead": lead.pk if lead else None, "cadence": case.contact_cadence_days},
        )
    return case


def do_add_goal(user, case_id: int, *, domain: str, description: str, person_id=None) -> Goal:
    case, _cats = _open_case(user, case_id)
    policy.require_case_manager(user, case)
    person = _member_person(case, person_id) if person_id else None
    _check(
        {
            "domain": domain not in ZrmDomain.values and _("Kies een leefgebied."),
            "description": len((description or "").strip()) < 3 and _("Beschrijf het doel."),
        }
    )
    with transaction.atomic():
        goal = Goal.objects.create(
            case=case, domain=domain, description=description.strip(), person=person
        )
        _log(user, AuditAction.CREATE, "plan_goal", goal, [domain_category(domain)], case=case.pk)
    return goal


def do_add_action(
    user,
    goal_id: int,
    *,
    description: str,
    organisation_id,
    owner_name: str,
    due_on: date,
    person_id=None,
    case_id=None,
) -> PlanAction:
    """An action under a goal of the plan. ``case_id`` is the case the request is about (its URL):
    a goal of another case is refused, whatever the caller may see of that other case."""
    goals = Goal.objects.filter(pk=_int(goal_id))
    if case_id is not None:
        case, categories = _open_case(
            user, case_id
        )  # the case of the URL: access checked and audited
        goals = goals.filter(
            case=case
        )  # the same answer for a goal of another case as for none at all
    goal = goals.first()
    if goal is None:
        raise ValidationError({"goal": _("Kies een doel uit het plan van deze casus.")})
    if case_id is None:
        case, categories = _open_case(user, goal.case_id)
    policy.require_category(user, case, categories, goal.category)
    manager = policy.is_case_manager(user, case)
    org = (
        case.participants.filter(organisation_id=_int(organisation_id))
        .select_related("organisation")
        .first()
    )
    person = _member_person(case, person_id) if person_id else goal.person
    _check(
        {
            "organisation": (
                org is None and _("De eigenaar is een partner die aan de casus deelneemt.")
            )
            or (
                not manager
                and org.organisation_id != user.organisation_id
                and _("U kunt alleen acties voor uw eigen organisatie toevoegen.")
            ),
            "description": len((description or "").strip()) < 3 and _("Beschrijf de actie."),
            "owner_name": not (owner_name or "").strip() and _("Vermeld wie de actie uitvoert."),
            "due_on": not due_on and _("Een uiterste datum is verplicht."),
        }
    )
    with transaction.atomic():
        action = PlanAction.objects.create(
            goal=goal,
            description=description.strip(),
            organisation=org.organisation,
            owner_name=owner_name.strip(),
            due_on=due_on,
            person=person,
        )
        _log(user, AuditAction.CREATE, "plan_action", action, [goal.category], case=case.pk)
    return action


def do_update_action_status(user, action_id: int, *, status: str) -> PlanAction:
    action = PlanAction.objects.filter(pk=_int(action_id)).select_related("goal").first()
    if action is None:
        raise ValidationError({"action": _("Deze actie bestaat niet.")})
    case, categories = _open_case(user, action.goal.case_id)
    policy.require_category(user, case, categories, action.goal.category)
    if not policy.is_case_manager(user, case) and action.organisation_id != user.organisation_id:
        policy.deny(
            user,
            "action of another organisation",
            object_type="plan_action",
            object_id=action.pk,
            purpose=P,
        )
    _check({"status": status not in PlanAction.Status.values and _("Onbekende status.")})
    with transaction.atomic():
        action.status = status
        action.save(update_fields=["status"])
        _log(user, AuditAction.UPDATE, "plan_action", action, [action.goal.category], status=status)
    return action


# --- holding on: contacts ---------------------------------------------------------------------


def do_log_contact(
    user, case_id: int, *, person_id, contact_on: date, kind: str, note: str = ""
) -> Contact:
    case, categories = _open_case(user, case_id)
    policy.require_category(user, case, categories, DataCategory.CONTACT)
    person = _member_person(case, person_id)
    _check(
        {
            "kind": kind not in ContactKind.values and _("Kies het soort contact."),
            "contact_on": (not contact_on and _("Datum is verplicht."))
            or (
                contact_on
                and contact_on > _today()
                and _("Een contact kan niet in de toekomst liggen.")
            )
            or (
                contact_on
                and contact_on < case.opened_on
                and _("Het contact ligt vóór de start van de casus.")
            ),
        }
    )
    with transaction.atomic():
        contact = Contact.objects.create(
            case=case,
            person=person,
            organisation=user.organisation,
            contact_on=contact_on,
            kind=kind,
            note=(note or "").strip(),
            by=user,
        )
        if contact.seen:
            case.alerts.filter(
                resolved_on__isnull=True,
                kind__in=[AlertKind.CONTACT_MISSED, AlertKind.CONTACT_ESCALATED],
            ).update(resolved_on=contact_on)
        _log(
            user, AuditAction.CREATE, "case_contact", contact, [DataCategory.CONTACT], case=case.pk
        )
    return contact


def do_resolve_alert(user, alert_id: int) -> Alert:
    alert = Alert.objects.filter(pk=_int(alert_id)).select_related("case").first()
    if alert is None:
        raise ValidationError({"alert": _("Deze melding bestaat niet.")})
    policy.require_case_manager(user, alert.case)
    with transaction.atomic():
        alert.resolved_on = _today()
        alert.save(update_fields=["resolved_on"])
        audit.record(
            AuditAction.UPDATE,
            user=user,
            purpose=P,
            object_type="case_alert",
            object_id=alert.pk,
            detail={"resolved": True},
        )
    return alert


# --- interventions ------------------------------------------------------------------------------


def do_enrol(user, case_id: int, *, programme_id, person_id, requested_on: date) -> Enrolment:
    """Enrol a case member: a free place makes them a participant, a full programme puts them on
    the waiting list (first come, first served; no priority score)."""
    case, _cats = _open_case(user, case_id)
    policy.require_case_manager(user, case)
    person = _member_person(case, person_id)
    programme = Programme.objects.filter(pk=_int(programme_id)).first()
    _check(
        {
            "programme": programme is None and _("Kies een programma."),
            "requested_on": (not requested_on and _("Datum is verplicht."))
            or (
                requested_on
                and requested_on > _today()
                and _("De datum kan niet in de toekomst liggen.")
            ),
        }
    )
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if Enrolment.objects.filter(
            programme=programme,
            person=person,
            status__in=[EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE],
        ).exists():
            raise ValidationError(
                {"programme": _("Deze persoon staat al op de lijst of neemt al deel.")}
            )
        active = Enrolment.objects.filter(
            programme=programme, status=EnrolmentStatus.ACTIVE
        ).count()
        free = active < programme.capacity
        enrolment = Enrolment.objects.create(
            programme=programme,
            case=case,
            person=person,
            requested_on=requested_on,
            status=EnrolmentStatus.ACTIVE if free else EnrolmentStatus.WAITING,
            started_on=requested_on if free else None,
        )
        _log(
            user,
            AuditAction.CREATE,
            "enrolment",
            enrolment,
            [DataCategory.EDUCATION],
            case=case.pk,
            status=enrolment.status,
        )
    return enrolment


def do_update_enrolment(
    user,
    enrolment_id: int,
    *,
    event: str,
    on: date,
    sessions_planned=None,
    sessions_attended=None,
    positive=None,
    reason: str = "",
) -> Enrolment:
    """event: attendance | complete | drop. A place that comes free goes to the first on the waiting list."""
    enrolment = Enrolment.objects.filter(pk=_int(enrolment_id)).select_related("programme").first()
    if enrolment is None:
        raise ValidationError({"enrolment": _("Deze inschrijving bestaat niet.")})
    case, _cats = _open_case(user, enrolment.case_id)
    policy.require_case_manager(user, case)
    planned, attended = _int(sessions_planned), _int(sessions_attended)
    errors = {
        "event": event not in ("attendance", "complete", "drop") and _("Onbekende gebeurtenis."),
        "on": (not on and _("Datum is verplicht."))
        or (on and on > _today() and _("De datum kan niet in de toekomst liggen.")),
    }
    if event == "attendance":
        errors["sessions_attended"] = (
            planned is None or attended is None or planned < 0 or attended < 0 or attended > planned
        ) and _("Aanwezig is een getal van 0 tot en met het aantal geplande bijeenkomsten.")
    if event in ("complete", "drop"):
        errors["status"] = enrolment.status not in (
            EnrolmentStatus.ACTIVE,
            EnrolmentStatus.WAITING,
        ) and _("Deze inschrijving is al beëindigd.")
    if event == "complete":
        errors["status"] = errors["status"] or (
            enrolment.status != EnrolmentStatus.ACTIVE and _("Alleen een deelnemer kan afronden.")
        )
        errors["positive"] = positive is None and _("Geef aan of het traject positief is afgerond.")
    if event == "drop":
        errors["reason"] = len((reason or "").strip()) < 3 and _("Vermeld de reden van uitval.")
    _check(errors)
    with transaction.atomic():
        freed = enrolment.status == EnrolmentStatus.ACTIVE and event in ("complete", "drop")
        if event == "attendance":
            enrolment.sessions_planned, enrolment.sessions_attended = planned, attended
        elif event == "complete":
            enrolment.status, enrolment.ended_on, enrolment.positive = (
                EnrolmentStatus.COMPLETED,
                on,
                bool(positive),
            )
            if enrolment.programme.has_job_guarantee:
                enrolment.job_status = "pending" if positive else "lapsed"
        else:
            enrolment.status, enrolment.ended_on, enrolment.dropout_reason = (
                EnrolmentStatus.DROPPED,
                on,
                reason.strip(),
            )
            if enrolment.programme.has_job_guarantee:
                enrolment.job_status = "lapsed"
        enrolment.save()
        if freed:
            _give_freed_place(user, enrolment.programme, on)
        _log(
            user, AuditAction.UPDATE, "enrolment", enrolment, [DataCategory.EDUCATION], event=event
        )
    return enrolment


def do_offer_job(user, enrolment_id: int, *, placed_on: date) -> Enrolment:
    enrolment = Enrolment.objects.filter(pk=_int(enrolment_id)).first()
    if enrolment is None:
        raise ValidationError({"enrolment": _("Deze inschrijving bestaat niet.")})
    case, _cats = access.get_case_for_user(user, enrolment.case_id)
    policy.require_case_manager(user, case)
    _check(
        {
            "job_status": enrolment.job_status != "due"
            and _(
                "Een baan wordt aangeboden als beide voorwaarden vervuld zijn (positief afgerond en geen recidive in de periode)."
            ),
            "placed_on": not placed_on and _("Datum is verplicht."),
        }
    )
    with transaction.atomic():
        enrolment.job_status, enrolment.job_placed_on = "offered", placed_on
        enrolment.save(update_fields=["job_status", "job_placed_on"])
        case.alerts.filter(kind=AlertKind.JOB_DUE, key=str(enrolment.pk)).update(
            resolved_on=placed_on
        )
        _log(
            user,
            AuditAction.UPDATE,
            "enrolment",
            enrolment,
            [DataCategory.EDUCATION],
            job="offered",
        )
    return enrolment


def do_match_coach(user, case_id: int, *, coach_id, since: date) -> CoachMatch:
    """The case director matches a coach from the pool (the system does not suggest one)."""
    case, _cats = _open_case(user, case_id)
    policy.require_case_manager(user, case)
    coach = Coach.objects.filter(pk=_int(coach_id)).first()
    busy = coach and coach.matches.filter(Q(until__isnull=True) | Q(until__gte=_today())).count()
    _check(
        {
            "coach": (coach is None and _("Kies een coach."))
            or (not coach.available and _("Deze coach is niet beschikbaar."))
            or (busy >= coach.max_cases and _("Deze coach heeft geen ruimte meer."))
            or (
                case.coach_matches.filter(coach=coach, until__isnull=True).exists()
                and _("Deze coach is al gekoppeld.")
            ),
            "since": not since and _("Datum is verplicht."),
        }
    )
    with transaction.atomic():
        match = CoachMatch.objects.create(coach=coach, case=case, since=since, matched_by=user)
        _log(user, AuditAction.CREATE, "coach_match", match, [DataCategory.EDUCATION], case=case.pk)
    return match


def do_set_comparison_group(user, programme_id: int, *, case_ids, note: str) -> Programme:
    """The programme owner picks a comparison group of cases (shown only as aggregates)."""
    programme = Programme.objects.filter(pk=_int(programme_id)).first()
    if programme is None:
        raise ValidationError({"programme": _("Dit programma bestaat niet.")})
    if not policy.has(user, C.PROGRAMMES_MANAGE) or programme.owner_id != user.pk:
        policy.deny(
            user,
            "only the programme owner",
            object_type="programme",
            object_id=programme.pk,
            purpose=policy.PURPOSE_MONITORING,
        )
    ids = {_int(i) for i in case_ids or []} - {None}
    cases = list(access.visible_cases(user).filter(pk__in=ids))
    _check(
        {
            "case_ids": (len(cases) != len(ids) and _("Kies alleen casussen die u mag zien."))
            or (
                Enrolment.objects.filter(programme=programme, case__in=cases).exists()
                and _("Een vergelijkingsgroep bevat geen deelnemers van het programma zelf.")
            ),
            "note": len((note or "").strip()) < 10
            and _("Beschrijf hoe de groep is gekozen (ten minste 10 tekens)."),
        }
    )
    with transaction.atomic():
        programme.comparison_cases.set(cases)
        programme.comparison_note = note.strip()
        programme.save(update_fields=["comparison_note"])
        audit.record(
            AuditAction.UPDATE,
            user=user,
            purpose=policy.PURPOSE_MONITORING,
            object_type="programme",
            object_id=programme.pk,
            detail={"comparison_group": len(cases)},
        )
    return programme


VOG_FIELDS = (
    "job",
    "sector",
    "needs_vog",
    "screening_profile",
    "functieaspecten",
    "advice",
    "verified",
)


def do_save_vog_guidance(user, pk=None, **fields) -> VogGuidance:
    policy.require(user, C.PROGRAMMES_MANAGE, object_type="vog_guidance", object_id=pk or "")
    item = VogGuidance.objects.filter(pk=_int(pk)).first() if pk else VogGuidance()
    if pk and item is None:
        raise ValidationError({"job": _("Deze regel bestaat niet.")})
    job = (fields.get("job") or "").strip()
    _check(
        {
            "job": (not job and _("Functie is verplicht."))
            or (
                VogGuidance.objects.filter(job__iexact=job).exclude(pk=item.pk).exists()
                and _("Deze functie staat er al.")
            ),
            "screening_profile": fields.get("needs_vog")
            and not (fields.get("screening_profile") or "").strip()
            and _("Vermeld het screeningsprofiel als een VOG nodig is."),
        }
    )
    with transaction.atomic():
        for name in VOG_FIELDS:
            if name in fields:
                setattr(
                    item,
                    name,
                    fields[name].strip() if isinstance(fields[name], str) else fields[name],
                )
        item.save()
        audit.record(
            AuditAction.UPDATE if pk else AuditAction.CREATE,
            user=user,
            purpose=policy.PURPOSE_MANAGEMENT,
            object_type="vog_guidance",
            object_id=item.pk,
        )
    return item
