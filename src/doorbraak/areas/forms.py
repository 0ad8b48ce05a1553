from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import geometry as geo

MAX_UPLOAD = 2 * 1024 * 1024


class FocusAreaForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "Kleine letters, cijfers en _ of -; staat bij elk pand in het gebied. Verandert niet meer."
        ),
    )
    name = forms.CharField(label=_("Naam"), max_length=80)
    geometry = forms.CharField(
        label=_("Omtrek (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "Een GeoJSON Polygon of MultiPolygon (of een Feature daarmee), lengtegraad eerst (WGS84). "
            "Plak de tekst hier of kies hieronder een bestand."
        ),
    )
    geometry_file = forms.FileField(
        label=_("Of: GeoJSON-bestand"),
        required=False,
        help_text=_("Een .geojson- of .json-bestand; vervangt de tekst hierboven."),
    )
    active = forms.BooleanField(label=_("Actief"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        upload = data.get("geometry_file")
        text = data.get("geometry") or ""
        if upload:
            if upload.size > MAX_UPLOAD:
                self.add_error("geometry_file", _("Het bestand is groter dan 2 MB."))
                return data
            text = upload.read().decode("utf-8-sig", errors="replace")
        if not text.strip():
            self.add_error("geometry", _("Geef de omtrek van het focusgebied."))
            return data
        try:
            data["geometry"] = geo.geometry_text(text)
        except ValidationError as exc:
            self.add_error("geometry_file" if upload else "geometry", exc)
        return data
