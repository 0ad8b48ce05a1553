"""Forms of the administrator's pages; business rules live in actions.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, OrganisationKind, Role

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}


class UserForm(forms.Form):
    username = forms.RegexField(
        label=_("Gebruikersnaam"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Alleen letters, cijfers en @ . + - _.")},
        widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}),
    )
    first_name = forms.CharField(
        label=_("Voornaam"), max_length=150, widget=forms.TextInput(attrs=TEXT)
    )
    last_name = forms.CharField(
        label=_("Achternaam"), max_length=150, widget=forms.TextInput(attrs=TEXT)
    )
    email = forms.EmailField(
        label=_("E-mailadres"), max_length=254, required=False, widget=forms.EmailInput(attrs=TEXT)
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.filter(active=True),
        widget=forms.Select(attrs=SELECT),
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=Role.choices,
        widget=forms.Select(attrs=SELECT),
        help_text=_(
            "De rol bepaalt welke delen van Doorbraak de gebruiker ziet; het convenant van de "
            "organisatie bepaalt welke gegevens."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.organisation and not user.organisation.active:
            # keep the current (inactive) organisation choosable for an existing user
            self.fields["organisation"].queryset = Organisation.objects.filter(
                active=True
            ) | Organisation.objects.filter(pk=user.organisation_id)


class NewUserForm(UserForm):
    password = forms.CharField(
        label=_("Beginwachtwoord"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={**TEXT, "autocomplete": "new-password"}),
        help_text=_(
            "Ten minste 12 tekens. Geef het de gebruiker langs een ander kanaal; bij de eerste "
            "aanmelding stelt de gebruiker de tweede factor in."
        ),
    )


class OrganisationForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_(
            "Korte vaste code in kleine letters, cijfers en streepjes, bijvoorbeeld gemeente-oov."
        ),
    )
    name = forms.CharField(label=_("Naam"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    kind = forms.ChoiceField(
        label=_("Soort"), choices=OrganisationKind.choices, widget=forms.Select(attrs=SELECT)
    )
    parent = forms.ModelChoiceField(
        label=_("Onderdeel van"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    active = forms.BooleanField(
        label=_("Actief"),
        required=False,
        initial=True,
        help_text=_(
            "Een niet-actieve organisatie ziet niets meer onder het convenant en krijgt "
            "geen nieuwe gebruikers."
        ),
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["parent"].queryset = Organisation.objects.exclude(pk=instance.pk)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CovenantForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    reference = forms.CharField(
        label=_("Kenmerk"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    legal_basis = forms.CharField(
        label=_("Grondslag"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DATE)
    valid_until = forms.DateField(
        label=_("Geldig tot en met"),
        required=False,
        widget=DATE,
        help_text=_("Leeg: voor onbepaalde tijd."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("De einddatum ligt voor de begindatum."))
        return data
