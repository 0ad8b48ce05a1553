"""Reads on partners for the administrator's pages."""

from __future__ import annotations

from django.db.models import Count, Q

from doorbraak.audit import display as audit_display

from .models import CovenantGrant, DataCategory, Organisation, Purpose, User


def users(query: str = "", organisation: str = "", role: str = ""):
    qs = User.objects.select_related("organisation").order_by("organisation__name", "username")
    if query:
        qs = qs.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    if role:
        qs = qs.filter(role=role)
    return qs


def organisations():
    return Organisation.objects.select_related("parent").annotate(
        user_count=Count("users", distinct=True), grant_count=Count("grants", distinct=True)
    )


def grant_matrix(covenant, organisation) -> dict:
    """Rows: data categories; columns: purposes; each cell whether the line is in the covenant."""
    purposes = list(Purpose.objects.order_by("name"))
    held = set(
        CovenantGrant.objects.filter(covenant=covenant, organisation=organisation).values_list(
            "data_category", "purpose_id"
        )
    )
    rows = [
        {
            "code": code,
            "label": label,
            "cells": [
                {"purpose": p, "name": f"g-{code}-{p.pk}", "checked": (code, p.pk) in held}
                for p in purposes
            ],
        }
        for code, label in DataCategory.choices
    ]
    return {"purposes": purposes, "rows": rows}


def covenant_matrix() -> dict:
    """Organisation × data category → purposes, for reading the covenant at a glance."""
    rows = {}
    for g in CovenantGrant.objects.select_related("organisation", "purpose"):
        purpose = audit_display.PURPOSES.get(g.purpose.code, g.purpose.name)
        rows.setdefault(g.organisation.name, {}).setdefault(g.data_category, []).append(
            str(purpose)
        )
    return {
        "categories": DataCategory.choices,
        "rows": [
            {
                "organisation": org,
                "cells": [", ".join(sorted(cells.get(c, []))) for c, _ in DataCategory.choices],
            }
            for org, cells in sorted(rows.items())
        ],
    }
