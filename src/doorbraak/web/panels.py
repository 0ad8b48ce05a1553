"""Home-page panels: a registry the apps fill and the site reads (so the site composes the role
home pages without knowing what each app shows, and no app imports the site).

An app registers its panels in ``AppConfig.ready()``::

    register_panel(Role.ANALYST, "registers/panels/analyst.html", analyst_context, order=10)

``audience`` is a role (the panel is on that role's home page) or a capability (on the home page
of every role that has it). ``context(request)`` returns the panel's template context; it runs
only when the panel is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from doorbraak import policy

Context = Callable[..., dict]


@dataclass(frozen=True)
class Panel:
    audience: str
    template: str
    context: Context
    order: int = 100


_PANELS: list[Panel] = []


def register_panel(audience: str, template: str, context: Context, *, order: int = 100) -> Panel:
    """Add a panel (idempotent: the same audience and template is registered once)."""
    panel = Panel(str(audience), template, context, order)
    for i, known in enumerate(_PANELS):
        if (known.audience, known.template) == (panel.audience, panel.template):
            _PANELS[i] = panel
            return panel
    _PANELS.append(panel)
    return panel


def panels() -> list[Panel]:
    return sorted(_PANELS, key=lambda p: p.order)


def panels_for(user) -> list[Panel]:
    """The panels of this user's home page, in order: those for the user's role and those for a
    capability the policy grants the user (a capability has a dot: ``registers.view``)."""
    return [p for p in panels() if policy.has_role_audience(user, p.audience)]
