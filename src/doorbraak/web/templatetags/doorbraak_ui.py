"""Template tags for the shared pieces of the interface (NL Design System components)."""

from __future__ import annotations

from django import template

from doorbraak.web.pagination import page_window

register = template.Library()


@register.inclusion_tag("web/_pagination_nav.html", takes_context=True)
def pagination(context, page, label="", anchor=""):
    """Utrecht pagination for a ``Page`` (from ``paginate``): previous, numbered pages with the
    current one marked (``aria-current``), next; nothing when everything fits on one page.
    ``label`` names the list (for several on one page); ``anchor`` is the id the links jump to."""
    param = getattr(page, "param", "page")
    request = context["request"]

    def url(n):
        query = request.GET.copy()
        query[param] = n
        return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")

    return {
        "page": page,
        "label": label,
        "pages": [(n, url(n) if n else None) for n in page_window(page)],
        "previous_url": url(page.previous_page_number()) if page.has_previous() else None,
        "next_url": url(page.next_page_number()) if page.has_next() else None,
    }
