"""Areas of the municipality: the city, its wijken and the focus areas of the approach. Registers
keep the area's code on each premises (Premises.wijk, Premises.area); the rows here say which
codes exist, what they are called and where they lie."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import geometry as geo


class AreaKind(models.TextChoices):
    CITY = "city", _("gemeente")
    WIJK = "wijk", _("wijk")
    FOCUS_AREA = "focus_area", _("focusgebied")


class AreaManager(models.Manager):
    def get_by_natural_key(self, code: str) -> Area:
        return self.get(code=code)


class Area(models.Model):
    kind = models.CharField(_("soort"), max_length=20, choices=AreaKind.choices, db_index=True)
    # The code is what registers store (Premises.wijk holds a wijk's code, Premises.area a focus
    # area's): at most 20 characters, as Premises.wijk.
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("naam"), max_length=80)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ligt in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    geometry = models.TextField(_("omtrek (GeoJSON)"), blank=True)
    active = models.BooleanField(_("actief"), default=True)

    objects = AreaManager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    natural_key.dependencies = []  # type: ignore[attr-defined]

    @property
    def shape(self) -> dict | None:
        return json.loads(self.geometry) if self.geometry else None

    def contains(self, lat: float, lon: float) -> bool:
        shape = self.shape
        return shape is not None and geo.contains(shape, lat, lon)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.geometry:
            try:
                self.geometry = geo.geometry_text(self.geometry)
            except ValidationError as exc:
                errors["geometry"] = exc.messages
        elif self.kind == AreaKind.FOCUS_AREA:
            errors["geometry"] = [str(_("Een focusgebied heeft een omtrek."))]
        if self.kind == AreaKind.CITY and self.parent_id:
            errors["parent"] = [str(_("Een gemeente ligt niet in een ander gebied."))]
        if self.kind in (AreaKind.WIJK, AreaKind.FOCUS_AREA):
            if self.parent is None:
                errors["parent"] = [str(_("Een wijk of focusgebied ligt in een gemeente."))]
            elif self.parent.kind != AreaKind.CITY:
                errors["parent"] = [str(_("Een wijk of focusgebied ligt in een gemeente."))]
        if errors:
            raise ValidationError(errors)
