"""Forms parse input; the actions validate the business rules and their errors are put back on
the form, so the user sees every problem next to its field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from doorbraak import policy
from doorbraak.limits import MAX_ID, TEXT_MAX
from doorbraak.partners.models import DataCategory, Organisation

from .models import (
    EXIT_REASON_CHOICES,
    ZRM_SCALE,
    Coach,
    ContactKind,
    DecisionOutcome,
    ExitChoice,
    InclusionCriterion,
    Intervention,
    InterventionType,
    MemberRole,
    PlanAction,
    Recognition,
    RecordKind,
    RelationKind,
    Review,
    ZrmDomain,
)


def IdField(**kwargs):  # noqa: N802 - a field factory, used like a field class
    """A choice of an object by id: a positive number the database can hold (else a clear error)."""
    return forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.Select, **kwargs)


# An <input type="date"> only takes ISO dates; without a fixed format Django renders the Dutch
# "28-11-2026" and the browser shows the field empty.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_errors(form, exc: ValidationError) -> None:
    """Put an action's ValidationError on the form: per field where the field exists, else general."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class ConcernForm(forms.Form):
    given_names = forms.CharField(label=_("Voornamen"), max_length=120)
    surname_prefix = forms.CharField(label=_("Voorvoegsel"), max_length=20, required=False)
    surname = forms.CharField(label=_("Achternaam"), max_length=120)
    birth_date = forms.DateField(label=_("Geboortedatum"), required=False, widget=DATE)
    bsn = forms.CharField(label=_("BSN (als bekend)"), max_length=9, required=False)
    received_on = forms.DateField(label=_("Datum aanmelding"), widget=DATE)
    description = forms.CharField(
        label=_("Zorg en aanleiding"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Feiten en signalen; het casusoverleg besluit over opname."),
    )


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Datum casusoverleg"), widget=DATE)
    outcome = forms.ChoiceField(
        label=_("Besluit"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    family_case = IdField(label=_("Gezinscasus (bij opname als gezinslid)"), required=False)
    role = forms.ChoiceField(
        label=_("Rol in het gezin"), choices=MemberRole.choices, initial=MemberRole.SUBJECT
    )
    criteria = forms.ModelMultipleChoiceField(
        label=_("Criteria waaraan is voldaan"),
        required=False,
        queryset=InclusionCriterion.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    criteria_text = forms.CharField(
        label=_("Criteria (toelichting)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reasons = forms.CharField(
        label=_("Motivering"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(
        label=_("Grondslag"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Deelnemende partners"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Partners met een convenantafspraak voor de casusaanpak."),
    )
    review_due = forms.DateField(
        label=_("Toetsdatum (uiterlijk 6 maanden)"), required=False, widget=DATE
    )
    inclusion_end = forms.DateField(label=_("Einddatum opname"), required=False, widget=DATE)
    contact_cadence_days = forms.IntegerField(
        label=_("Contactfrequentie (dagen)"), initial=14, min_value=1, max_value=90
    )

    def __init__(self, *args, family_cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family_case"].widget.choices = [("", "—")] + [
            (c.pk, c.reference) for c in family_cases
        ]
        self.fields["partners"].queryset = policy.case_work_organisations()


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Datum toets"), widget=DATE)
    suitable = forms.CharField(
        label=_("Geschikt: draagt de aanpak bij aan het doel?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    necessary = forms.CharField(
        label=_("Noodzakelijk: kan het niet met minder ingrijpende middelen?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    balanced = forms.CharField(
        label=_("Evenwichtig: staat de inbreuk in verhouding tot het doel?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome = forms.ChoiceField(
        label=_("Uitkomst"), choices=Review.Outcome.choices, widget=forms.RadioSelect
    )
    next_review_due = forms.DateField(
        label=_("Volgende toets (bij voortzetten)"), required=False, widget=DATE
    )
    exit_reason = forms.ChoiceField(
        label=_("Reden van uitstroom (bij uitstromen)"),
        choices=[("", "—"), *EXIT_REASON_CHOICES],
        required=False,
        help_text=_("Bij uitstromen verplicht."),
    )

    def __init__(self, *args, enrolments=(), plan_actions=(), **kwargs):
        """One choice per open enrolment and action: what becomes of it at exit."""
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *ExitChoice.choices]
        help_text = _(
            "Bij uitstromen verplicht; de plaats komt vrij voor de eerste op de wachtlijst."
        )
        for e in enrolments:
            self.fields[f"enrolment_{e.pk}"] = forms.ChoiceField(
                label=_("Bij uitstromen — %(programme)s (%(status)s)")
                % {"programme": e.programme.name, "status": e.get_status_display()},
                choices=choices,
                required=False,
                help_text=help_text,
            )
        for a in plan_actions:
            self.fields[f"action_{a.pk}"] = forms.ChoiceField(
                label=_("Bij uitstromen — actie: %(action)s (%(organisation)s)")
                % {"action": a.description, "organisation": a.organisation.name},
                choices=choices,
                required=False,
            )

    @staticmethod
    def review_data(cleaned_data: dict) -> dict:
        """The action's arguments: the exit choices as {id: choice} per kind."""
        data = {
            k: v for k, v in cleaned_data.items() if not k.startswith(("enrolment_", "action_"))
        }
        for kind in ("enrolment", "action"):
            data[f"{kind}s"] = {
                name.split("_", 1)[1]: value
                for name, value in cleaned_data.items()
                if name.startswith(f"{kind}_") and value
            }
        return data


class ContactForm(forms.Form):
    person = IdField(label=_("Persoon"))
    contact_on = forms.DateField(label=_("Datum"), widget=DATE)
    kind = forms.ChoiceField(label=_("Soort contact"), choices=ContactKind.choices)
    note = forms.CharField(
        label=_("Verslag"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RecordForm(forms.Form):
    person = IdField(label=_("Persoon"), required=False)
    kind = forms.ChoiceField(label=_("Soort gebeurtenis"), choices=RecordKind.choices)
    category = forms.ChoiceField(label=_("Gegevenscategorie"), choices=DataCategory.choices)
    occurred_on = forms.DateField(label=_("Datum"), widget=DATE)
    title = forms.CharField(label=_("Onderwerp"), max_length=200)
    text = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RelationForm(forms.Form):
    from_person = IdField(label=_("Persoon in de casus"))
    kind = forms.ChoiceField(label=_("Relatie"), choices=RelationKind.choices)
    to_person = IdField(label=_("Met persoon in de casus"), required=False)
    to_given_names = forms.CharField(
        label=_("of: voornaam (netwerk)"), required=False, max_length=120
    )
    to_surname = forms.CharField(label=_("achternaam (netwerk)"), required=False, max_length=120)
    recorded_on = forms.DateField(label=_("Datum"), widget=DATE)
    note = forms.CharField(label=_("Bron en toelichting"), required=False, max_length=300)


class ZrmForm(forms.Form):
    person = IdField(label=_("Persoon"))
    assessed_on = forms.DateField(label=_("Datum"), widget=DATE)
    version = forms.CharField(label=_("ZRM-versie"), initial="ZRM 2017", max_length=20)
    assessor_name = forms.CharField(label=_("Afgenomen door"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(k, f"{k} {v}") for k, v in ZRM_SCALE.items()]
        for domain, label in ZrmDomain.choices:
            self.fields[f"score_{domain}"] = forms.TypedChoiceField(
                label=label, choices=choices, required=False, coerce=int, empty_value=None
            )

    def scores(self) -> dict:
        return {
            d: self.cleaned_data.get(f"score_{d}")
            for d in ZrmDomain.values
            if self.cleaned_data.get(f"score_{d}") is not None
        }


class PlanRolesForm(forms.Form):
    lead_professional = IdField(label=_("Regiehouder (lead professional)"), required=False)
    contact_cadence_days = forms.IntegerField(
        label=_("Contactfrequentie (dagen)"), min_value=1, max_value=90
    )


class GoalForm(forms.Form):
    person = IdField(label=_("Voor persoon"), required=False)
    domain = forms.ChoiceField(label=_("Leefgebied"), choices=ZrmDomain.choices)
    description = forms.CharField(label=_("Doel"), max_length=300)


class ActionForm(forms.Form):
    goal = IdField(label=_("Doel"))
    person = IdField(label=_("Voor persoon"), required=False)
    description = forms.CharField(label=_("Actie"), max_length=300)
    organisation = IdField(label=_("Organisatie (eigenaar)"))
    owner_name = forms.CharField(label=_("Uitvoerder"), max_length=200)
    due_on = forms.DateField(label=_("Uiterlijk"), widget=DATE)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanAction.Status.choices)


class EnrolForm(forms.Form):
    programme = IdField(label=_("Programma"))
    person = IdField(label=_("Persoon"))
    requested_on = forms.DateField(label=_("Aangemeld op"), widget=DATE)


class EnrolmentEventForm(forms.Form):
    event = forms.ChoiceField(
        label=_("Gebeurtenis"),
        choices=[
            ("attendance", _("Aanwezigheid bijwerken")),
            ("complete", _("Afgerond")),
            ("drop", _("Uitgevallen")),
        ],
    )
    on = forms.DateField(label=_("Datum"), widget=DATE)
    sessions_planned = forms.IntegerField(
        label=_("Bijeenkomsten gepland"), required=False, min_value=0, max_value=1000
    )
    sessions_attended = forms.IntegerField(
        label=_("Bijeenkomsten aanwezig"), required=False, min_value=0, max_value=1000
    )
    positive = forms.TypedChoiceField(
        label=_("Positief afgerond?"),
        required=False,
        empty_value=None,
        choices=[("", "—"), ("1", _("Ja")), ("0", _("Nee"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reden uitval"), required=False, max_length=300)


class JobOfferForm(forms.Form):
    placed_on = forms.DateField(label=_("Baan gestart op"), widget=DATE)


class CoachMatchForm(forms.Form):
    coach = IdField(label=_("Coach"))
    since = forms.DateField(label=_("Sinds"), widget=DATE)


class ComparisonForm(forms.Form):
    case_ids = forms.CharField(
        label=_("Zaaknummers vergelijkingsgroep (komma-gescheiden)"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Hoe is de groep gekozen?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VogForm(forms.Form):
    job = forms.CharField(label=_("Functie of stage"), max_length=200)
    sector = forms.CharField(label=_("Sector"), max_length=200, required=False)
    needs_vog = forms.BooleanField(label=_("VOG nodig"), required=False)
    screening_profile = forms.CharField(
        label=_("Screeningsprofiel"), max_length=200, required=False
    )
    functieaspecten = forms.CharField(label=_("Functieaspecten"), max_length=300, required=False)
    advice = forms.CharField(
        label=_("Uitleg voor de jongere"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    verified = forms.BooleanField(label=_("Geverifieerd bij Justis"), required=False)


def person_choices(member_rows) -> list:
    return [("", "—")] + [(m["person"].pk, m["label"]) for m in member_rows]


# --- the intervention catalogue (programme managers) ----------------------------------------


class InterventionForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    provider = forms.CharField(label=_("Aanbieder"), max_length=200)
    type = forms.ChoiceField(label=_("Soort"), choices=[("", "—"), *InterventionType.choices])
    recognition = forms.ChoiceField(
        label=_("Erkenning"),
        choices=[("", "—"), *Recognition.choices],
        help_text=_("Zoals in de databank Effectieve Justitiële Interventies of die van het NJi."),
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    in_detention = forms.BooleanField(label=_("Ook in detentie"), required=False)


class ProgrammeForm(forms.Form):
    intervention = forms.ModelChoiceField(
        label=_("Interventie"), queryset=Intervention.objects.all()
    )
    name = forms.CharField(label=_("Naam"), max_length=200)
    capacity = forms.IntegerField(label=_("Plaatsen"), min_value=1, max_value=1000)
    has_job_guarantee = forms.BooleanField(label=_("Met baangarantie"), required=False)
    no_reoffending_months = forms.IntegerField(
        label=_("Periode zonder recidive (maanden)"),
        required=False,
        min_value=1,
        max_value=36,
        help_text=_(
            "Bij baangarantie: de baan volgt na positieve afronding en zoveel maanden zonder recidive."
        ),
    )


class CoachForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    kind = forms.ChoiceField(label=_("Soort"), choices=[("", "—"), *Coach.Kind.choices])
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.all()
    )
    expertise = forms.CharField(label=_("Expertise"), max_length=300)
    max_cases = forms.IntegerField(
        label=_("Maximaal aantal casussen"), min_value=1, max_value=50, initial=5
    )
    available = forms.BooleanField(label=_("Beschikbaar"), required=False, initial=True)
    works_in_detention = forms.BooleanField(label=_("Werkt ook in detentie"), required=False)
