from django.contrib import admin

from .models import Coach, InclusionCriterion, Intervention, Programme, VogGuidance

for model in (InclusionCriterion, Intervention, Coach, VogGuidance):
    admin.site.register(model)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "intervention", "capacity", "owner", "has_job_guarantee"]
    filter_horizontal = ["comparison_cases"]
