"""Forms parse input; the actions validate the business rules and their errors are put back on the
form next to their fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from doorbraak.limits import TEXT_MAX

from .models import (
    ActionType,
    BibobOutcome,
    DecisionType,
    EscalationStep,
    Irregularity,
    LegalBasis,
    ObjectionOutcome,
    Outcome,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_errors(form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class ActionForm(forms.Form):
    action_type = forms.ChoiceField(label=_("Soort actie"), choices=ActionType.choices)
    reason = forms.CharField(
        label=_("Reden"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Waarom deze actie? Een indicator alleen is geen reden: licht uw afweging toe."
        ),
    )
    assigned_to = forms.TypedChoiceField(
        label=_("Toewijzen aan"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].choices = [("", _("(nog niet toegewezen)"))] + [
            (u.pk, u.get_full_name() or u.username) for u in officers
        ]


class FindingsForm(forms.Form):
    carried_out_on = forms.DateField(label=_("Uitgevoerd op"), widget=DATE)
    outcome = forms.ChoiceField(
        label=_("Bevinding"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    irregularities = forms.MultipleChoiceField(
        label=_("Onregelmatigheden"),
        choices=Irregularity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bibob_outcome = forms.ChoiceField(
        label=_("Uitkomst Bibob-onderzoek (alleen bij Bibob)"),
        choices=[("", "—"), *BibobOutcome.choices],
        required=False,
    )


class DecisionForm(forms.Form):
    decision_type = forms.ChoiceField(label=_("Soort besluit"), choices=DecisionType.choices)
    legal_basis = forms.ChoiceField(label=_("Wettelijke grondslag"), choices=LegalBasis.choices)
    legal_basis_detail = forms.CharField(
        label=_("Artikel (bij APV verplicht, bijv. APV art. 2:30)"), max_length=120, required=False
    )
    summary = forms.CharField(
        label=_("Inhoud en motivering"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    escalation_step = forms.TypedChoiceField(
        label=_("Stap op de escalatieladder (bij sluiting of waarschuwing)"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    closure_months = forms.IntegerField(
        label=_("Duur sluiting (maanden; leeg: volgens de stap)"),
        min_value=1,
        max_value=120,
        required=False,
    )
    proportionality_suitable = forms.CharField(
        label=_("Evenredigheid 1 — geschiktheid: is de sluiting geschikt om het doel te bereiken?"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proportionality_necessary = forms.CharField(
        label=_("Evenredigheid 2 — noodzakelijkheid: is er geen lichter middel?"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proportionality_balanced = forms.CharField(
        label=_("Evenredigheid 3 — evenwichtigheid: wegen de gevolgen op tegen het doel?"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escalation_step"].choices = [
            ("", _("(voorgesteld: volgens eerdere sluitingen)"))
        ] + [(s.pk, f"{s.get_premises_kind_display()} · {s.number}: {s.label}") for s in steps]

    def clean_escalation_step(self):
        pk = self.cleaned_data.get("escalation_step")
        return EscalationStep.objects.filter(pk=pk).first() if pk else None


class IssueForm(forms.Form):
    decision_date = forms.DateField(label=_("Datum besluit"), widget=DATE)
    announced_on = forms.DateField(label=_("Verzonden of bekendgemaakt op"), widget=DATE)


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("Bezwaar ontvangen op"), widget=DATE)
    posted_on = forms.DateField(
        label=_("Per post verzonden op (als bekend)"), widget=DATE, required=False
    )


class ObjectionDecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Uitkomst bezwaar"), choices=ObjectionOutcome.choices)
    outcome_on = forms.DateField(label=_("Datum uitkomst"), widget=DATE)


class TrainingForm(forms.Form):
    area_code = forms.ChoiceField(label=_("Gebied"))
    held_on = forms.DateField(label=_("Datum"), widget=DATE)
    title = forms.CharField(label=_("Onderwerp"), max_length=200)
    participants = forms.IntegerField(label=_("Aantal deelnemers"), min_value=1, max_value=10000)
    businesses = forms.IntegerField(
        label=_("Aantal bedrijven vertegenwoordigd"), min_value=0, max_value=10000
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = list(areas)
