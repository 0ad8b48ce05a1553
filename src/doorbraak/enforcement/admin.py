from django.contrib import admin

from .models import EscalationStep, UserArea


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    """The escalation ladder is configuration the administrator can change."""

    list_display = ("premises_kind", "number", "months", "label")
    list_editable = ("months", "label")
    ordering = ("premises_kind", "number")


@admin.register(UserArea)
class UserAreaAdmin(admin.ModelAdmin):
    list_display = ("user", "area_code")
