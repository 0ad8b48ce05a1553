"""The main menu: a registry the apps fill (``register_nav`` in ``AppConfig.ready()``) and the
site renders (``doorbraak.site.navigation``). An item is a URL name, a label (Dutch, translated
when shown) and the capability it needs (None: every signed-in user); ``order`` places it."""

from __future__ import annotations

from dataclasses import dataclass

from doorbraak import policy


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    capability: str | None = None
    order: int = 100


_ITEMS: dict[str, NavItem] = {}


def register_nav(url_name: str, label: str, capability: str | None = None, *, order: int = 100):
    """Add a menu item (idempotent: one item per URL name)."""
    _ITEMS[url_name] = NavItem(url_name, label, capability, order)


def items() -> list[NavItem]:
    return sorted(_ITEMS.values(), key=lambda i: (i.order, i.url_name))


def items_for(user) -> list[NavItem] | None:
    """The menu of a signed-in, verified user: the items whose capability the policy grants
    (None for anyone else: no menu at all)."""
    if user is None or not user.is_authenticated or not policy.is_verified(user):
        return None
    return [i for i in items() if i.capability is None or policy.has(user, i.capability)]
