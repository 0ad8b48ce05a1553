"""The figures of the approach, each with its definition, and the tables built from them.

Every figure is counted per quarter, per finest area unit (a wijk, or the part of it inside a
focus area) and per category, by the owning app's count selector (careers, and the prevention
registrations here); monitoring reads nothing else. Each quarter's grid is protected once
(disclosure.protect_grid), so every screen, report and export shows the same status for the
same number, whatever area or period was chosen."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.areas import selectors as area_selectors

from . import disclosure as dc

log = logging.getLogger(__name__)

# History shown: eight complete quarters before the current one, and the current one.
HISTORY_QUARTERS = 9


@dataclass(frozen=True)
class Figure:
    code: str
    pillar: str
    title: object
    definition: object
    source: object
    categories: tuple  # (code, label)
    stock: bool = False  # a state at the quarter's end (no sum over quarters)
    rate: tuple | None = None  # (category counted, label of the rate): share of the total
    persons: bool = True  # counts of persons or cases: disclosure control applies
    focus_only: bool = False  # published for the city and the focus areas only (not per wijk)
    # further rates, each (category counted, categories of its base, label): a share within a
    # group of categories (the comparison-group figures: participants and comparison group)
    group_rates: tuple = ()
    no_total: bool = False  # categories overlap (one action under several indicators): no total
    city_only: bool = False  # published for the whole city only
    trend_category: str = ""  # what the chart draws (default: the category total)


def _kinds():
    from doorbraak.careers.models import CaseKind

    return tuple(CaseKind.choices)


def _intervention_types():
    from doorbraak.careers.models import InterventionType

    return tuple(InterventionType.choices)


def _exit_reasons():
    from doorbraak.careers.models import ExitReason

    return tuple(ExitReason.choices)


def _comparison_figures(source) -> list[Figure]:
    """One figure per intervention type that has a programme: reoffending within 12 months for
    the participants and for the comparison group (careers.selectors.comparison_counts)."""
    from doorbraak.careers import selectors as careers

    categories = (
        ("participants:reoffended", _("Deelnemers: met recidive")),
        ("participants:not_reoffended", _("Deelnemers: zonder recidive")),
        ("comparison:reoffended", _("Vergelijkingsgroep: met recidive")),
        ("comparison:not_reoffended", _("Vergelijkingsgroep: zonder recidive")),
    )
    rates = (
        (
            "participants:reoffended",
            ("participants:reoffended", "participants:not_reoffended"),
            _("recidive deelnemers"),
        ),
        (
            "comparison:reoffended",
            ("comparison:reoffended", "comparison:not_reoffended"),
            _("recidive vergelijkingsgroep"),
        ),
    )
    out = []
    for itype, label in careers.intervention_types_in_use():
        out.append(
            Figure(
                f"comparison_{itype}",
                "careers",
                _("Recidive deelnemers en vergelijkingsgroep: %(type)s") % {"type": label},
                _(
                    "Een beschrijvende vergelijking, geen effectmeting, en niets over een persoon. "
                    "Deelnemers: casussen waarvan de eerste deelname aan een interventie van dit "
                    "soort in het kwartaal begon; recidive: een politieregistratie op de "
                    "deelnemer binnen 12 maanden na de start. Vergelijkingsgroep: casussen die in "
                    "hetzelfde kwartaal in de aanpak waren en deze interventie nooit kregen; "
                    "recidive: een politieregistratie op de betrokkene binnen 12 maanden na de "
                    "eerste dag van het kwartaal (of na de start van de casus als die later is). "
                    "De groepen zijn niet gelijk samengesteld: een verschil zegt niet dat de "
                    "interventie het veroorzaakte. Een casus telt pas mee als de 12 maanden om "
                    "zijn, dus de laatste kwartalen zijn nog leeg. Percentages alleen bij een "
                    "basis van minstens 10."
                ),
                source,
                categories,
                group_rates=rates,
            )
        )
    return out


def _zrm_categories():
    from doorbraak.careers.models import ZrmDomain

    out = []
    for code, label in ZrmDomain.choices:
        out += [
            (f"{code}:up", f"{label}: {_('vooruit')}"),
            (f"{code}:same", f"{label}: {_('gelijk')}"),
            (f"{code}:down", f"{label}: {_('achteruit')}"),
        ]
    return tuple(out)


def _prevention_kinds():
    from .models import PreventionKind

    return tuple(PreventionKind.choices)


CAREERS_SOURCE = _("Casusregistratie (Doorbraak, pijler criminele carrières)")
PREVENTION_SOURCE = _("Registratie preventiebereik door programma-eigenaren (Doorbraak)")


def figures() -> list[Figure]:
    C = "careers"
    return [
        Figure(
            "in_approach",
            C,
            _("Mensen in de aanpak"),
            _(
                "Lopende casussen op de laatste dag van het kwartaal: een casus is lopend vanaf de "
                "startdatum (besluit casusoverleg) tot de datum van uitstroom. Individuele casussen "
                "en gezinscasussen apart. Wijk: woonadres van de betrokkene (bij een gezin: het "
                "eerste gezinslid)."
            ),
            CAREERS_SOURCE,
            _kinds(),
            stock=True,
        ),
        Figure(
            "inclusions",
            C,
            _("Nieuwe opnames"),
            _("Casussen gestart in het kwartaal (datum van het besluit tot opname)."),
            CAREERS_SOURCE,
            _kinds(),
        ),
        Figure(
            "exits",
            C,
            _("Uitstroom"),
            _(
                "Casussen afgesloten in het kwartaal (uitstroom na de periodieke toets), per reden "
                "van uitstroom zoals de procesregisseur die bij het sluiten vastlegt. Niet "
                "geregistreerd: casussen gesloten voordat de reden werd gevraagd."
            ),
            CAREERS_SOURCE,
            _exit_reasons(),
        ),
        Figure(
            "reviews",
            C,
            _("Periodieke toetsen"),
            _(
                "Toetsen gehouden in het kwartaal; op tijd: uiterlijk op de datum die bij de vorige "
                "toets (of bij het besluit tot opname) is vastgesteld."
            ),
            CAREERS_SOURCE,
            (("on_time", _("Op tijd")), ("late", _("Te laat"))),
            rate=("on_time", _("op tijd")),
        ),
        Figure(
            "contact_cadence",
            C,
            _("Contact volgens afgesproken frequentie"),
            _(
                "Lopende casussen op de laatste dag van het kwartaal met minstens één contact in de "
                "afgesproken contactperiode (standaard 14 dagen) daarvoor."
            ),
            CAREERS_SOURCE,
            (("within", _("Binnen frequentie")), ("not_within", _("Niet binnen frequentie"))),
            stock=True,
            rate=("within", _("binnen frequentie")),
        ),
        Figure(
            "enrolments",
            C,
            _("Gestarte deelnames aan interventies"),
            _("Deelnames aan een programma met startdatum in het kwartaal, per soort interventie."),
            CAREERS_SOURCE,
            _intervention_types(),
        ),
        Figure(
            "completions",
            C,
            _("Afgeronde deelnames"),
            _("Deelnames met status afgerond en einddatum in het kwartaal, per soort interventie."),
            CAREERS_SOURCE,
            _intervention_types(),
        ),
        Figure(
            "dropouts",
            C,
            _("Uitval uit interventies"),
            _("Deelnames met status uitgevallen en einddatum in het kwartaal."),
            CAREERS_SOURCE,
            _intervention_types(),
        ),
        Figure(
            "jobs",
            C,
            _("Stages die tot een baan leidden"),
            _(
                "Deelnames met baangarantie waarvoor de baan is aangeboden, geteld in het kwartaal "
                "waarin de baan begon."
            ),
            CAREERS_SOURCE,
            _intervention_types(),
        ),
        Figure(
            "reoffending",
            C,
            _("Recidive binnen 12 maanden"),
            _(
                "Casussen waarvan de eerste 12 maanden na opname in het kwartaal eindigen; "
                "recidive: een politieregistratie op de betrokkene in die 12 maanden."
            ),
            CAREERS_SOURCE,
            (("reoffended", _("Met recidive")), ("not_reoffended", _("Zonder recidive"))),
            rate=("reoffended", _("recidive")),
        ),
        Figure(
            "zrm_change",
            C,
            _("Verandering ZRM per leefgebied"),
            _(
                "Personen met ten minste twee ZRM-metingen in een casus: de laatste meting tegenover "
                "de eerste, per leefgebied, geteld in het kwartaal van de laatste meting."
            ),
            CAREERS_SOURCE,
            _zrm_categories(),
            # 13 life domains x 3 directions per wijk would be a grid of mostly small counts
            focus_only=True,
        ),
        *_comparison_figures(CAREERS_SOURCE),
        Figure(
            "prevention_reach",
            "prevention",
            _("Bereik preventie (deelnemers)"),
            _(
                "Deelnemers aan Kapot Sterk-lessen en andere preventieactiviteiten, zoals "
                "geregistreerd door de programma-eigenaren per school of locatie, wijk en periode "
                "(geteld in het kwartaal waarin de periode begint). Geen persoonsgegevens."
            ),
            PREVENTION_SOURCE,
            _prevention_kinds(),
        ),
        Figure(
            "prevention_sessions",
            "prevention",
            _("Preventieactiviteiten (lessen en bijeenkomsten)"),
            _(
                "Aantal lessen en bijeenkomsten, zoals geregistreerd door de programma-eigenaren. "
                "Telt activiteiten, geen personen: zonder onderdrukking van kleine aantallen."
            ),
            PREVENTION_SOURCE,
            _prevention_kinds(),
            persons=False,
        ),
        *enforcement_figures(),
    ]


ENFORCEMENT_SOURCE = _("Handhavingsregistratie (Doorbraak: acties, bevindingen, besluiten)")


def enforcement_figures() -> list[Figure]:
    """The enforcement app's figures, once it offers its count selector: for the city and the
    focus areas (the areas of the information- and risk-driven approach)."""
    if not enforcement_counts_available():
        return []
    from doorbraak.enforcement.models import (  # type: ignore[import-not-found]
        ActionType,
        DecisionType,
        Outcome,
    )

    M = "money"
    return [
        Figure(
            "enforcement_actions",
            M,
            _("Handhavingsacties"),
            _(
                "Uitgevoerde acties (controles, Knock and Talk-bezoeken, Bibob-onderzoeken, "
                "sluitingen, gebiedsverboden) met uitvoerdatum in het kwartaal, per soort."
            ),
            ENFORCEMENT_SOURCE,
            tuple(ActionType.choices),
            focus_only=True,
        ),
        Figure(
            "enforcement_findings",
            M,
            _("Bevindingen van acties"),
            _("Uitkomst van de in het kwartaal uitgevoerde acties."),
            ENFORCEMENT_SOURCE,
            (
                *Outcome.choices,
                ("not_recorded", _("nog niet vastgelegd")),
            ),
            rate=(Outcome.IRREGULARITIES.value, _("met onregelmatigheden")),
            focus_only=True,
        ),
        Figure(
            "enforcement_decisions",
            M,
            _("Besluiten"),
            _(
                "Genomen besluiten (besluitdatum in het kwartaal) per soort: sluitingen per "
                "grondslag, gebiedsverboden, Bibob-uitkomsten, waarschuwingen en dwangsommen."
            ),
            ENFORCEMENT_SOURCE,
            tuple(DecisionType.choices),
            focus_only=True,
        ),
        Figure(
            "enforcement_objections",
            M,
            _("Bezwaren"),
            _("Bezwaren ontvangen in het kwartaal, binnen en buiten de termijn."),
            ENFORCEMENT_SOURCE,
            (("in_time", _("Binnen termijn")), ("late", _("Buiten termijn"))),
            focus_only=True,
        ),
        Figure(
            "enforcement_trainings",
            M,
            _("Bereik trainingen ondernemers (deelnemers)"),
            _("Deelnemers aan trainingen (weerbaarheid ondernemers) gehouden in het kwartaal."),
            ENFORCEMENT_SOURCE,
            (("participants", _("Deelnemers")),),
            focus_only=True,
        ),
        *money_figures(),
    ]


RISK_SOURCE = _("Risicobeeld (Doorbraak: risico-runs over de registers, vastgestelde regelset)")
BANK_SOURCE = _(
    "Sectorcijfers van de bankpartner (analyse bij de bank, alleen aggregaten; ingelezen in "
    "Doorbraak)"
)
ALL_INDICATORS = "*"


def _object_types():
    from doorbraak.risk.models import ObjectType

    return tuple(ObjectType.choices)


def _precision_indicators() -> list[tuple[str, str]]:
    """(id, label) of the indicators with checked actions, labelled from the live rule set."""
    from doorbraak.enforcement import selectors as enforcement
    from doorbraak.risk import selectors as risk

    try:
        catalogue = risk.catalogue_by_id(risk.live_rule_set())
    except Exception:  # noqa: BLE001 - an unreadable rule set leaves the ids as labels
        log.warning("monitoring: the live rule set could not be read", exc_info=True)
        catalogue = {}
    return [
        (i, _short(str(catalogue.get(i, {}).get("description") or i)))
        for i in enforcement.indicators_checked()
        if i
    ]


def _short(description: str, limit: int = 90) -> str:
    """An indicator's description up to its first full stop or bracket, as a row label."""
    text = description.split(". ")[0].split(" (")[0].rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def precision_rows() -> list[tuple[str, str]]:
    """The rows of the precision table: all actions, each indicator, the baseline."""
    return [
        (ALL_INDICATORS, str(_("Alle acties met bevindingen"))),
        *_precision_indicators(),
        ("", str(_("Zonder indicator gepland (vergelijking)"))),
    ]


def money_figures() -> list[Figure]:
    """Pillar 2 beyond the enforcement counts: premises and companies screened, in the risk
    picture, and the precision of each indicator on the cases enforcement checked."""
    from doorbraak.enforcement import selectors as enforcement

    if not hasattr(enforcement, "monitoring_counts"):
        return []
    precision_categories = []
    for code, label in precision_rows():
        precision_categories += [
            (f"{code}:checked", f"{label}: {_('gecontroleerd')}"),
            (f"{code}:hit", f"{label}: {_('met bevinding')}"),
        ]
    M = "money"
    return [
        Figure(
            "enforcement_screened",
            M,
            _("Gescreende panden en bedrijven"),
            _(
                "Verschillende panden en bedrijven waarbij in het kwartaal ten minste één "
                "handhavingsactie is uitgevoerd (controle, Knock and Talk-bezoek, Bibob-onderzoek, "
                "vergunning-, DOR- of BRP-controle). Een pand of bedrijf telt één keer per "
                "kwartaal, in het gebied van de actie."
            ),
            ENFORCEMENT_SOURCE,
            _object_types(),
            focus_only=True,
        ),
        Figure(
            "risk_flagged",
            M,
            _("Panden en bedrijven in het risicobeeld"),
            _(
                "Panden en bedrijven met een score van ten minste %(score)s in de laatste "
                "afgeronde risico-run met een peildatum op of vóór de laatste dag van het "
                "kwartaal. Een score is een signaal over een pand of bedrijf om te bekijken, "
                "geen oordeel over een persoon. Vóór de eerste run: geen telling."
            )
            % {"score": _min_score()},
            RISK_SOURCE,
            _object_types(),
            stock=True,
        ),
        Figure(
            "enforcement_precision",
            M,
            _("Precisie van de indicatoren"),
            _(
                "Van de uitgevoerde acties met vastgelegde bevindingen: per indicator die bij de "
                "planning was afgegaan, hoeveel zijn gecontroleerd en hoeveel vonden "
                "onregelmatigheden (één actie telt bij elke indicator die afging). De precisie "
                "is het aandeel met bevinding, alleen bij ten minste 10 controles. Dit is de "
                "precisie van de indicator op de gecontroleerde gevallen — niet een uitspraak "
                "over een persoon, en niet over de panden die niet zijn gecontroleerd. Voor de "
                "hele stad: per focusgebied zouden de aantallen te klein zijn om te tonen."
            ),
            ENFORCEMENT_SOURCE,
            tuple(precision_categories),
            city_only=True,
            no_total=True,
            trend_category=f"{ALL_INDICATORS}:checked",
        ),
    ]


def _min_score() -> str:
    from django.conf import settings

    return f"{getattr(settings, 'RISK_PICTURE_MIN_SCORE', 3.0):g}"


def money_counts(quarters) -> dict[str, dict[tuple, int]]:
    """The enforcement and risk apps' per-quarter grids (their monitoring_counts). Enforcement
    is published for the city and the focus areas: an action's area other than a focus area
    counts in the rest of the city."""
    from doorbraak.enforcement import selectors as enforcement
    from doorbraak.risk import selectors as risk

    out: dict[str, dict[tuple, int]] = {}
    if hasattr(enforcement, "monitoring_counts"):
        focus = {c for c, _l in focus_areas()}
        city_only = {f.code for f in money_figures() if f.city_only}
        for code, rows in enforcement.monitoring_counts(quarters).items():
            cells: dict[tuple, int] = defaultdict(int)
            for (_w, a, qi, cat), n in rows.items():
                area = "" if code in city_only or a not in focus else a
                cells[("", area, qi, cat)] += n
            out[code] = dict(cells)
    if hasattr(risk, "monitoring_counts"):
        out.update(risk.monitoring_counts(quarters))
    return out


def sector_figures() -> dict | None:
    """The bank's sector figures (moneyflows), as the bank published them."""
    from doorbraak.moneyflows import selectors as moneyflows

    if not hasattr(moneyflows, "sector_vulnerability"):
        return None
    return moneyflows.sector_vulnerability()


def figure(code: str) -> Figure:
    for f in figures():
        if f.code == code:
            return f
    raise KeyError(code)


# --- quarters ---------------------------------------------------------------------------------


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: date) -> date:
    month = start.month + 3
    nxt = date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return nxt - timedelta(days=1)


def quarter_label(start: date) -> str:
    return f"{start.year}-K{(start.month - 1) // 3 + 1}"


def history(today: date | None = None) -> list[tuple[date, date]]:
    today = today or timezone.localdate()
    q = quarter_start(today)
    out = []
    for _i in range(HISTORY_QUARTERS):
        out.append((q, quarter_end(q)))
        q = quarter_start(q - timedelta(days=1))
    return list(reversed(out))


# --- areas ------------------------------------------------------------------------------------


def focus_areas() -> list[tuple[str, str]]:
    """(code, name) of the active focus areas (doorbraak.areas)."""
    return area_selectors.focus_area_choices()


def wijken() -> list[tuple[str, str]]:
    """(code, name) of the active wijken (doorbraak.areas)."""
    return area_selectors.wijk_choices()


CITY = ""


def area_choices() -> list[tuple[str, str]]:
    """The areas a person can choose: the city, the focus areas, each wijk."""
    return [(CITY, str(_("Utrecht (hele stad)")))] + focus_areas() + wijken()


def area_label(code: str) -> str:
    return dict(area_choices()).get(code, code)


def units_and_areas(extra_units=()) -> tuple[list, dict]:
    """The finest units (wijk, focus area) and each choosable area as a set of units."""
    focus = [c for c, _l in focus_areas()]
    wijk_codes = [c for c, _l in wijken()]
    units = {(w, "") for w in wijk_codes} | {("", "")}
    units |= {u for u in extra_units}
    units = sorted(units)
    areas = {CITY: set(units)}
    for a in focus:
        areas[a] = {u for u in units if u[1] == a}
    for w in wijk_codes:
        areas[w] = {u for u in units if u[0] == w}
    return units, areas


# --- counting and protecting ------------------------------------------------------------------


def prevention_counts(quarters) -> dict[str, dict[tuple, int]]:
    from .selectors import prevention_counts as counts

    return counts(quarters)


def enforcement_counts_available() -> bool:
    try:
        from doorbraak.enforcement import selectors  # type: ignore[import-not-found]
    except ImportError:
        return False
    return hasattr(selectors, "counts")


def raw_counts(quarters) -> dict[str, dict[tuple, int]]:
    from doorbraak.careers import selectors as careers

    out = dict(careers.monitoring_counts(quarters))
    out.update(prevention_counts(quarters))
    out.update(enforcement_counts(quarters))
    out.update(money_counts(quarters))
    return out


def _enforcement_rows(c: dict) -> dict[str, dict[str, int]]:
    return {
        "enforcement_actions": dict(c.get("actions", {})),
        "enforcement_findings": dict(c.get("findings", {})),
        "enforcement_decisions": dict(c.get("decisions", {})),
        "enforcement_objections": {
            "in_time": c.get("objections", {}).get("in_time", 0),
            "late": c.get("objections", {}).get("late", 0),
        },
        "enforcement_trainings": {"participants": c.get("trainings", {}).get("participants", 0)},
    }


def enforcement_counts(quarters) -> dict[str, dict[tuple, int]]:
    """The enforcement app's counts per quarter, for each focus area and the rest of the city
    (the city's count less the focus areas'): units ("", focus area) and ("", "") of a grid
    whose areas are the city and the focus areas."""
    if not enforcement_counts_available():
        return {}
    from doorbraak.enforcement import selectors  # type: ignore[import-not-found]

    out: dict[str, dict[tuple, int]] = defaultdict(dict)
    focus = [c for c, _l in focus_areas()]
    for qi, (qs, qe) in enumerate(quarters):
        city = _enforcement_rows(selectors.counts((qs, qe), None))
        parts = {f: _enforcement_rows(selectors.counts((qs, qe), f)) for f in focus}
        for code, cats in city.items():
            for cat, n in cats.items():
                rest = n - sum(parts[f][code].get(cat, 0) for f in focus)
                out[code][("", "", qi, cat)] = max(rest, 0)
                for f in focus:
                    out[code][("", f, qi, cat)] = parts[f][code].get(cat, 0)
    return dict(out)


def focus_units_and_areas() -> tuple[list, dict]:
    focus = [c for c, _l in focus_areas()]
    units = [("", "")] + [("", f) for f in focus]
    areas = {CITY: set(units)} | {f: {("", f)} for f in focus}
    return units, areas


_CACHE: dict[str, dc.Protected] = {}


def _digest(fig: Figure, grid: dc.Grid) -> str:
    return hashlib.sha256(
        json.dumps([fig.code, sorted((repr(k), v) for k, v in grid.cells.items() if v)]).encode()
    ).hexdigest()


def _protect_all(jobs: list[tuple[Figure, dc.Grid, list]]) -> list[dc.Protected]:
    """Protect the grids, each once per content (cached in this process); τ-ARGUS runs for all
    grids not yet cached in one batch, on each grid's wijk × category table."""
    out: list[dc.Protected | None] = [None] * len(jobs)
    pending = []
    for i, (fig, grid, _rows) in enumerate(jobs):
        if not fig.persons:
            values = {agg.key: grid.value(agg) for agg in grid.aggregates}
            out[i] = dc.Protected(values=values, status=dict.fromkeys(values, "ok"))
            continue
        digest = _digest(fig, grid)
        if digest in _CACHE:
            out[i] = _CACHE[digest]
        else:
            pending.append((i, digest))
    if pending:
        tau_jobs = []
        for i, _d in pending:
            fig, grid, wijk_rows = jobs[i]
            cats = [c for c, _l in fig.categories]
            tau_jobs.append((dc.tau_table(grid, wijk_rows, cats), wijk_rows, cats))
        patterns = dc.tau_argus_patterns(tau_jobs)
        if len(_CACHE) > 5000:
            _CACHE.clear()
        for (i, digest), pattern, (_t, rows, cats) in zip(pending, patterns, tau_jobs, strict=True):
            fig, grid, _rows = jobs[i]
            protected = dc.protect_grid(grid, rows=rows, cols=cats, pattern=pattern or set())
            _CACHE[digest] = out[i] = protected
    return out  # type: ignore[return-value]


@dataclass
class Cube:
    """Protected figures per quarter, for every area: the one source of every number shown.

    Made by compute_cube and stored (models.StoredCube) by the daily job `monitoring_cube`, on
    request of policy staff, after a prevention registration and by the demo build; every page,
    PDF, CSV, API answer and `doorbraak monitoring report` reads the stored one (current_cube)."""

    quarters: list
    made_at: object
    protected: dict = field(default_factory=dict)  # (figure, qi) -> Protected
    sources: dict = field(default_factory=dict)  # from which data (see compute_cube)
    sectors: dict | None = None  # the bank's sector figures, as the bank published them
    made_by: str = ""
    stored_id: int | None = None

    def cell(self, fig: Figure, area: str, qi: int, category: str) -> tuple[int, str]:
        p = self.protected[(fig.code, qi)]
        key = (area, category if len(fig.categories) > 1 or category != dc.TOTAL else category)
        if category == dc.TOTAL and len(fig.categories) == 1:
            key = (area, fig.categories[0][0])
        return p.values.get(key, 0), p.status.get(key, "ok")

    def counted(self, fig: Figure, qi: int) -> bool:
        """False for a quarter in which the figure has no count at all (not a zero)."""
        return qi not in self.sources.get("not_counted", {}).get(fig.code, [])

    def shown(self, fig, area, qi, category) -> str:
        value, status = self.cell(fig, area, qi, category)
        return _show(value, status)

    def period(self, fig, area, qis, category) -> tuple[int, str]:
        """A sum over quarters: published only where every quarter in it is published; for a
        state (stock) figure, the last quarter."""
        if fig.stock:
            return self.cell(fig, area, qis[-1], category)
        cells = [self.cell(fig, area, qi, category) for qi in qis]
        total = sum(v for v, _s in cells)
        if all(s == "ok" for _v, s in cells):
            return total, "ok"
        if total and total < dc.THRESHOLD:
            return total, "small"
        return total, "hidden"

    # --- storing ---------------------------------------------------------------------------

    def cells_json(self) -> dict:
        return {
            f"{code}|{qi}": [
                [area, cat, int(value), p.status.get((area, cat), "ok")]
                for (area, cat), value in sorted(p.values.items())
            ]
            for (code, qi), p in sorted(self.protected.items())
        }

    @staticmethod
    def protected_from_json(cells: dict) -> dict:
        out = {}
        for key, rows in cells.items():
            code, qi = key.rsplit("|", 1)
            out[(code, int(qi))] = dc.Protected(
                values={(a, c): v for a, c, v, _st in rows},
                status={(a, c): st for a, c, _v, st in rows},
            )
        return out


def _show(value, status) -> str:
    if status == "small":
        return dc.SMALL
    if status == "hidden":
        return dc.HIDDEN
    return str(value)


def signature() -> str:
    """The figures' definitions as a digest (codes, categories, flags): a stored cube made for
    other definitions (a new figure, another rule set's indicators) is not used."""
    spec = [
        [
            f.code,
            [c for c, _l in f.categories],
            f.stock,
            f.persons,
            f.focus_only,
            f.no_total,
            f.city_only,
        ]
        for f in figures()
    ]
    return hashlib.sha256(json.dumps(spec).encode()).hexdigest()


def _counts_digest(counts: dict) -> str:
    rows = sorted(
        (code, repr(k), v) for code, cells in counts.items() for k, v in cells.items() if v
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def _sources(counts: dict, sectors: dict | None, quarters, today: date | None = None) -> dict:
    """Where the cube's numbers come from: per source the number of counted items behind the
    grids, the risk runs and the bank's figure set, and a digest of all counts."""
    per_source: dict[str, int] = defaultdict(int)
    for fig in figures():
        if not fig.persons or fig.no_total or fig.stock:
            continue
        total = sum(counts.get(fig.code, {}).values())
        per_source[str(fig.source)] += total
    out: dict = {
        "counts_sha256": _counts_digest(counts),
        "counted": dict(per_source),
        "quarters": [[qs.isoformat(), qe.isoformat()] for qs, qe in quarters],
    }
    try:
        from doorbraak.risk import selectors as risk

        out["risk_runs"] = risk.monitoring_runs(quarters)
    except (ImportError, AttributeError):
        out["risk_runs"] = []
    # quarters in which a state figure has no count at all (before the first risk run)
    first_run = min((r["as_of"] for r in out["risk_runs"]), default=None)
    out["not_counted"] = {
        "risk_flagged": [
            qi
            for qi, (_qs, qe) in enumerate(quarters)
            if first_run is None or qe.isoformat() < first_run
        ]
    }
    # a comparison-group quarter is complete once twelve months have passed since its last day
    # (careers counts a case only when its own twelve months are over): before that, no figure
    today = today or timezone.localdate()
    pending = [qi for qi, (_qs, qe) in enumerate(quarters) if qe + timedelta(days=365) > today]
    for fig in figures():
        if fig.code.startswith("comparison_"):
            out["not_counted"][fig.code] = pending
    if sectors:
        out["bank_sectors"] = {k: v for k, v in sectors.items() if k != "rows"}
    return out


def compute_cube(today: date | None = None) -> Cube:
    """Count and protect every figure for every quarter of the history (the expensive part:
    τ-ARGUS and the audit per grid)."""
    quarters = history(today)
    counts = raw_counts(quarters)
    extra = {(w, a) for rows in counts.values() for (w, a, _q, _c) in rows}
    units, areas = units_and_areas(extra)
    focus = dict(focus_areas())
    sectors = sector_figures()
    cube = Cube(
        quarters=quarters,
        made_at=timezone.now(),
        sources=_sources(counts, sectors, quarters, today),
        sectors=sectors,
    )
    jobs, keys = [], []
    for fig in figures():
        rows = counts.get(fig.code, {})
        per_q: dict[int, dict] = defaultdict(dict)
        for (w, a, qi, cat), n in rows.items():
            # a figure published for the city and focus areas only counts per focus area and
            # the rest of the city: its units are ("", focus area) and ("", "")
            unit = ("", a) if fig.focus_only else ("", "") if fig.city_only else (w, a)
            per_q[qi][(unit, cat)] = per_q[qi].get((unit, cat), 0) + n
        cats = [c for c, _l in fig.categories]
        if fig.city_only:
            fig_units, fig_areas = [("", "")], {CITY: {("", "")}}
        elif fig.focus_only:
            fig_units, fig_areas = focus_units_and_areas()
        else:
            fig_units, fig_areas = units, areas
        wijk_rows = (
            [] if fig.focus_only or fig.city_only else [a for a in areas if a and a not in focus]
        )
        for qi in range(len(quarters)):
            grid = dc.grid_for(
                per_q.get(qi, {}),
                fig_units,
                cats,
                fig_areas,
                with_category_total=not fig.no_total,
                priority=focus,
            )
            jobs.append((fig, grid, wijk_rows))
            keys.append((fig.code, qi))
    for key, protected in zip(keys, _protect_all(jobs), strict=True):
        cube.protected[key] = protected
    return cube


build_cube = compute_cube  # a fresh computation (tests, comparisons)


def store_cube(cube: Cube, *, made_by: str, seconds: float | None = None) -> Cube:
    """Store a computed cube; older ones are removed but for the last few."""
    from .models import StoredCube

    stored = StoredCube.objects.create(
        made_at=cube.made_at,
        first_quarter=cube.quarters[0][0],
        last_quarter=cube.quarters[-1][0],
        signature=signature(),
        counts_sha256=cube.sources.get("counts_sha256", ""),
        sources=cube.sources,
        cells=cube.cells_json(),
        sectors=cube.sectors,
        made_by=made_by[:150],
        seconds=seconds,
    )
    keep = list(StoredCube.objects.order_by("-made_at", "-id").values_list("id", flat=True)[:3])
    StoredCube.objects.exclude(id__in=keep).delete()
    cube.made_by, cube.stored_id = stored.made_by, stored.pk
    return cube


def stored_cube(today: date | None = None) -> Cube | None:
    """The latest stored cube if it covers today's history with today's figure definitions;
    None when there is none or it is stale (made in an earlier quarter, or for other figures)."""
    from .models import StoredCube

    quarters = history(today)
    stored = (
        StoredCube.objects.filter(
            first_quarter=quarters[0][0], last_quarter=quarters[-1][0], signature=signature()
        )
        .order_by("-made_at", "-id")
        .first()
    )
    if stored is None:
        return None
    return Cube(
        quarters=[
            (date.fromisoformat(a), date.fromisoformat(b)) for a, b in stored.sources["quarters"]
        ],
        made_at=stored.made_at,
        protected=Cube.protected_from_json(stored.cells),
        sources=stored.sources,
        sectors=stored.sectors,
        made_by=stored.made_by,
        stored_id=stored.pk,
    )


def refresh_cube(today: date | None = None, *, made_by: str) -> Cube:
    """Compute and store (the job, the demo build, and current_cube when none is stored)."""
    import time

    began = time.monotonic()
    cube = compute_cube(today)
    return store_cube(cube, made_by=made_by, seconds=round(time.monotonic() - began, 1))


def current_cube(today: date | None = None) -> Cube:
    """What every reader uses: the stored cube, or — only when none fits — one computed now
    (and stored, so the next reader has it)."""
    cube = stored_cube(today)
    if cube is not None:
        return cube
    log.info("monitoring: no stored cube for this quarter; computing it now")
    return refresh_cube(today, made_by="synchroon bij opvragen")


# --- tables -------------------------------------------------------------------------------------


@dataclass
class Table:
    """A published table: first column the row label, then the figure columns, with a last
    row and column `Totaal` where totals are published. Cells are strings as shown."""

    code: str
    title: str
    definition: str
    source: str
    header: list
    rows: list  # [label, cell, cell, ...]
    has_total_row: bool
    has_total_col: bool
    note: str = ""

    def as_csv_rows(self) -> list[list[str]]:
        return [self.header, *self.rows]


TOTAAL = "Totaal"
NOT_COUNTED = "—"  # no count at all in that quarter (before the first risk run): not a zero


def zrm_table(cube: Cube, fig: Figure, area: str, qis: list[int]) -> Table:
    """ZRM change over the period: a row per life domain, columns forward / same / back. No
    totals: a person counts in every domain, and the domain totals are not protected margins."""
    from doorbraak.careers.models import ZrmDomain

    changes = [("up", _("Vooruit")), ("same", _("Gelijk")), ("down", _("Achteruit"))]
    rows = []
    for code, label in ZrmDomain.choices:
        rows.append(
            [str(label)] + [_show(*cube.period(fig, area, qis, f"{code}:{c}")) for c, _l in changes]
        )
    return Table(
        code=fig.code,
        title=str(fig.title),
        definition=str(fig.definition),
        source=str(fig.source),
        header=[str(_("Leefgebied"))] + [str(label) for _c, label in changes],
        rows=rows,
        has_total_row=False,
        has_total_col=False,
    )


def precision_table(cube: Cube, fig: Figure, area: str, qis: list[int]) -> Table:
    """Precision per indicator over the period: checked, with a finding, and the share (a rate
    only on a published base of at least 10). No totals: one action counts under every
    indicator that fired."""
    codes = {c for c, _l in fig.categories}
    rows = []
    for code, label in precision_rows():
        if f"{code}:checked" not in codes:
            continue
        checked = cube.period(fig, area, qis, f"{code}:checked")
        hit = cube.period(fig, area, qis, f"{code}:hit")
        published = checked[1] == "ok" and hit[1] == "ok"
        rows.append(
            [label, _show(*checked), _show(*hit), dc.rate(hit[0], checked[0], published=published)]
        )
    return Table(
        code=fig.code,
        title=str(fig.title),
        definition=str(fig.definition),
        source=str(fig.source),
        header=[
            str(_("Indicator")),
            str(_("Gecontroleerd")),
            str(_("Met bevinding")),
            str(_("Precisie")),
        ],
        rows=rows,
        has_total_row=False,
        has_total_col=False,
    )


SECTOR_CODE = "bank_sectors"
SECTOR_TITLE = _("Kwetsbaarheid per sector (bankanalyse)")
SECTOR_DEFINITION = _(
    "Aandeel van de zakelijke rekeningen in een sector (SBI) dat in het kwartaal deelnam aan "
    "witwaspatronen (gelaagde typologieën), met het 95%-betrouwbaarheidsinterval, zoals de bank "
    "het berekent en aanlevert: alleen aggregaten, de analyse draait bij de bank. Dit zijn geen "
    "tellingen van personen. De onderdrukking is die van de bank: een aandeel ontbreekt als het "
    "aantal rekeningen of het aantal in patronen kleiner is dan 5 (hier <5). Monitoring toont "
    "alleen de aandelen, niet de aantallen, zodat geen verschil tussen gebieden te maken is. "
    "Rang: plaats in het laatste kwartaal op de ondergrens van het interval."
)


def _pct(x) -> str:
    return f"{100 * x:.1f}%".replace(".", ",")


def sector_table(cube: Cube, area: str, start: date, end: date) -> tuple[Table | None, str]:
    """The bank's sector figures for the area (the city when the bank has no figures for it)
    and the bank periods inside the chosen period. None when no set is loaded."""
    data = cube.sectors
    if not data:
        return None, ""
    rows_all = data.get("rows", [])
    note = ""
    level = area
    if not any(r["area"] == area for r in rows_all):
        level = ""
        if area:
            note = str(_("De bank levert voor dit gebied geen sectorcijfers: de hele stad."))
    periods = []
    for r in rows_all:
        p = r["period"]
        if "-Q" not in p or p in periods:
            continue
        year, q = p.split("-Q")
        qs = date(int(year), 3 * (int(q) - 1) + 1, 1)
        if start <= qs <= end:
            periods.append(p)
    periods.sort()
    lines: dict[str, dict] = {}
    for r in rows_all:
        if r["area"] != level or r["period"] not in periods:
            continue
        line = lines.setdefault(r["sbi"], {"sector": r["sector"] or r["sbi"], "cells": {}})
        if r["suppressed"] or r["share"] is None:
            shown = (
                dc.SMALL if dc.SMALL in (r["accounts"], r["accounts_in_patterns"]) else dc.HIDDEN
            )
        else:
            shown = f"{_pct(r['share'])} ({_pct(r['share_low'])}–{_pct(r['share_high'])})"
        line["cells"][r["period"]] = (shown, r["rank"])
    last = periods[-1] if periods else ""

    def order(item):
        _sbi, line = item
        rank = line["cells"].get(last, ("", None))[1]
        return (rank is None, rank or 0, line["sector"])

    rows = []
    for sbi, line in sorted(lines.items(), key=order):
        cells = [line["cells"].get(p, ("—", None))[0] for p in periods]
        rank = line["cells"].get(last, ("", None))[1]
        rows.append([f"{line['sector']} ({sbi})", *cells, str(rank) if rank else "—"])
    header = [str(_("Sector (SBI)"))]
    header += [p.replace("-Q", "-K") for p in periods]
    header.append(str(_("Rang %(period)s") % {"period": last.replace("-Q", "-K")}))
    table = Table(
        code=SECTOR_CODE,
        title=str(SECTOR_TITLE),
        definition=str(SECTOR_DEFINITION),
        source=str(BANK_SOURCE),
        header=header,
        rows=rows,
        has_total_row=False,
        has_total_col=False,
        note=note,
    )
    return table, note


def figure_table(cube: Cube, fig: Figure, area: str, qis: list[int]) -> Table:
    if fig.code == "zrm_change":
        return zrm_table(cube, fig, area, qis)
    if fig.code == "enforcement_precision":
        return precision_table(cube, fig, area, qis)
    cats = list(fig.categories)
    multi = len(cats) > 1
    header = [str(_("Kwartaal"))] + [str(label) for _c, label in cats]
    if fig.rate:
        header.append(str(_("Percentage %(label)s") % {"label": fig.rate[1]}))
    for _part, _base, label in fig.group_rates:
        header.append(str(_("Percentage %(label)s") % {"label": label}))
    if multi:
        header.append(TOTAAL)
    rows = []

    def line(label, getter):
        cells = [getter(c) for c, _l in cats]
        out = [label] + [_show(v, s) for v, s in cells]
        total = getter(dc.TOTAL) if multi else cells[0]
        if fig.rate:
            part = getter(fig.rate[0])
            published = part[1] == "ok" and total[1] == "ok"
            out.append(dc.rate(part[0], total[0], published=published))
        for part_cat, base_cats, _label in fig.group_rates:
            part = getter(part_cat)
            base = [getter(c) for c in base_cats]
            published = part[1] == "ok" and all(st == "ok" for _v, st in base)
            out.append(dc.rate(part[0], sum(v for v, _st in base), published=published))
        if multi:
            out.append(_show(*total))
        return out

    for qi in qis:
        label = quarter_label(cube.quarters[qi][0])
        if not cube.counted(fig, qi):
            rows.append([label] + [NOT_COUNTED] * (len(header) - 1))
            continue
        rows.append(line(label, lambda c, qi=qi: cube.cell(fig, area, qi, c)))
    has_total_row = not fig.stock and len(qis) > 1
    if has_total_row:
        rows.append(line(TOTAAL, lambda c: cube.period(fig, area, qis, c)))
    return Table(
        code=fig.code,
        title=str(fig.title),
        definition=str(fig.definition),
        source=str(fig.source),
        header=header,
        rows=rows,
        has_total_row=has_total_row,
        has_total_col=multi,
    )


def quarter_indexes(cube: Cube, start: date, end: date) -> list[int]:
    return [qi for qi, (qs, qe) in enumerate(cube.quarters) if qs >= start and qe <= end] or [
        qi for qi, (qs, qe) in enumerate(cube.quarters) if qe >= start and qs <= end
    ]


def trend(cube: Cube, fig: Figure, area: str) -> list[dict]:
    """The category total per quarter over the whole history, as the charts draw it."""
    out = []
    for qi, (qs, _qe) in enumerate(cube.quarters):
        if not cube.counted(fig, qi):
            out.append(
                {"label": quarter_label(qs), "value": None, "shown": NOT_COUNTED, "absent": True}
            )
            continue
        value, status = cube.cell(fig, area, qi, fig.trend_category or dc.TOTAL)
        out.append(
            {
                "label": quarter_label(qs),
                "value": value if status == "ok" else None,
                "shown": _show(value, status),
            }
        )
    return out
