"""Long lists are shown a page at a time: ``paginate`` for views, ``{% pagination %}`` (tag
library ``doorbraak_ui``) for the controls. Several lists on one page each take their own query
parameter; the other parameters of the address (filters, another list's page) are kept."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paginate(request, items, per_page: int = PAGE_SIZE, param: str = "page") -> Page:
    """The requested page of ``items`` (a query set or a list); a page number that is not a
    number or out of range gives the first or last page, never an error."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    page.param = param
    return page


def page_window(page: Page, around: int = 2) -> list[int | None]:
    """Page numbers to offer: the first, the last and ``around`` either side of the current
    one; ``None`` where numbers are left out."""
    last = page.paginator.num_pages
    shown = sorted(
        {1, last, *range(max(1, page.number - around), min(last, page.number + around) + 1)}
    )
    window: list[int | None] = []
    for n in shown:
        if window and n - window[-1] > 1:
            window.append(None)
        window.append(n)
    return window
