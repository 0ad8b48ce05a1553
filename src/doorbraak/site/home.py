"""The role home pages."""

from __future__ import annotations

from django.shortcuts import render

from doorbraak.web import home as home_pages
from doorbraak.web.decorators import page


@page()
def home(request):
    context = home_pages.context_for(request)
    return render(request, f"web/home/{request.user.role}.html", context)
