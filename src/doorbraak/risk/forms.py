from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_YAML_BYTES = 200_000


class RuleSetForm(forms.Form):
    yaml_file = forms.FileField(label=_("Regelset (YAML-bestand)"), required=False)
    yaml_text = forms.CharField(
        label=_("of plak de YAML hier"),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        required=False,
        max_length=MAX_YAML_BYTES,
    )
    note = forms.CharField(
        label=_("Toelichting (wat is er anders en waarom)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        upload = data.get("yaml_file")
        if upload is not None:
            if upload.size > MAX_YAML_BYTES:
                raise forms.ValidationError(_("Het bestand is te groot (ten hoogste 200 kB)."))
            try:
                data["yaml_text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("Het bestand is geen UTF-8-tekst.")) from exc
        if not (data.get("yaml_text") or "").strip():
            raise forms.ValidationError(_("Kies een bestand of plak de regelset."))
        return data

    def rules_text(self) -> str:
        return self.cleaned_data["yaml_text"]
