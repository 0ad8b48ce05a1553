"""How audit entries are shown to the privacy officer: in the user's language, with organisation
names instead of codes, and with the reason recorded in ``detail`` (a reveal's purpose, a denial's
cause). The log itself keeps the internal ids; only the page translates them."""

from __future__ import annotations

import re

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from doorbraak.partners.models import DataCategory, Organisation, Purpose, Role

# Object types written by the apps (audit.record(object_type=...)).
OBJECT_TYPES = {
    "api": _("API"),
    "audit_log": _("auditlog"),
    "careers_daily": _("dagelijkse signalering"),
    "case": _("casus"),
    "case_alert": _("signaal bij casus"),
    "case_careers": _("casusgegevens"),
    "case_contact": _("contactmoment"),
    "case_decision": _("besluit casusoverleg"),
    "case_record": _("casusregel"),
    "case_relation": _("relatie in casus"),
    "case_review": _("evaluatie"),
    "coach_match": _("koppeling coach"),
    "concern": _("aanmelding"),
    "covenant": _("convenant"),
    "covenant_grant": _("convenantafspraak"),
    "demostad": _("demostad"),
    "enrolment": _("deelname programma"),
    "enforcement_action": _("handhavingsactie"),
    "enforcement_backtest": _("backtest regelset"),
    "enforcement_decision": _("besluit handhaving"),
    "enforcement_ledger": _("handhavingsdossier"),
    "enforcement_objection": _("bezwaar"),
    "enforcement_precision": _("precisie indicatoren"),
    "enforcement_training": _("training ondernemers"),
    "entity": _("entiteit"),
    "entity_search": _("entiteit zoeken"),
    "ftm_export": _("export entiteitengraaf"),
    "import_batch": _("import"),
    "import_rejections": _("afgekeurde importregels"),
    "linkage_judgement": _("oordeel koppeling"),
    "linkage_run": _("koppelrun"),
    "monitoring": _("monitoring"),
    "officer": _("bestuurder"),
    "organisation": _("organisatie"),
    "otp_device": _("tweede factor"),
    "page": _("pagina"),
    "person": _("persoon"),
    "plan_action": _("actie in plan"),
    "plan_goal": _("doel in plan"),
    "processing_activity": _("verwerking"),
    "programme": _("programma"),
    "record_version": _("eerdere versie registerregel"),
    "register_entry": _("registerregel"),
    "sector_figure_set": _("sectorcijfers"),
    "user": _("gebruiker"),
    "vog_guidance": _("VOG-wijzer"),
    "zrm_assessment": _("ZRM-meting"),
}

# Purposes under which access takes place (policy.PURPOSE_*); other purposes show their name.
PURPOSES = {
    "casusaanpak": _("casusaanpak"),
    "risicoanalyse": _("risicoanalyse"),
    "handhaving": _("handhaving"),
    "privacytoezicht": _("privacytoezicht"),
    "monitoring": _("monitoring"),
    "beheer": _("beheer"),
}

# Reasons the policy layer records for a denial or a failed login (policy.deny(reason=...)).
REASONS = {
    "role may not view cases": _("rol mag geen casussen inzien"),
    "organisation does not take part in case": _("organisatie neemt geen deel aan de casus"),
    "only the case director of this case": _("alleen de procesregisseur van deze casus"),
    "only the programme owner": _("alleen de eigenaar van het programma"),
    "action of another organisation": _("actie van een andere organisatie"),
    "may not reveal identities": _("mag geen identiteiten onthullen"),
    "may not export identities": _("mag geen identiteiten exporteren"),
    "password": _("wachtwoord onjuist"),
    "otp": _("verificatiecode onjuist"),
    "locked out": _("tijdelijk geblokkeerd na te veel pogingen"),
}
# Capabilities of the policy layer (policy.Capability), as a denial names them.
CAPABILITIES = {
    "cases.view": _("casussen inzien"),
    "cases.manage": _("casussen beheren"),
    "registers.view": _("registers inzien"),
    "registers.import": _("bronnen importeren"),
    "persons.reveal": _("identiteit onthullen"),
    "moneyflows.view": _("sectorcijfers geldstromen inzien"),
    "enforcement.view": _("handhaving inzien"),
    "enforcement.plan": _("handhavingsacties plannen"),
    "enforcement.feedback": _("precisie en backtest inzien"),
    "decisions.propose": _("besluiten voorstellen"),
    "decisions.approve": _("besluiten goedkeuren"),
    "legal.view": _("juridische gegevens inzien"),
    "monitoring.view": _("monitoring inzien"),
    "audit.view": _("auditlog inzien"),
    "privacy.manage": _("privacy beheren"),
    "partners.manage": _("partners en gebruikers beheren"),
    "concerns.report": _("zorgen aanmelden"),
    "programmes.manage": _("interventies en programma's beheren"),
}

# Why the chain check failed (audit.services.verify_chain).
CHAIN_REASONS = {
    "link to previous entry broken (entry removed or inserted)": _(
        "koppeling met de vorige regel verbroken (regel verwijderd of ingevoegd)"
    ),
    "place in the chain out of order (entry removed or inserted)": _(
        "plaats in de keten klopt niet (regel verwijderd of ingevoegd)"
    ),
    "content does not match its hash (entry altered)": _(
        "inhoud past niet bij de hash (regel gewijzigd)"
    ),
    "latest entries missing (log truncated)": _("laatste regels ontbreken (log ingekort)"),
}

REASON_PATTERNS = [
    (re.compile(r"^missing capability (?P<x>\S+)$"), _("rol heeft bevoegdheid %(x)s niet")),
    (
        re.compile(r"^covenant does not allow category (?P<x>\S+)$"),
        _("convenant staat categorie %(x)s niet toe"),
    ),
]


def _page_path(url_name: str) -> str:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return url_name


def object_type_label(code: str) -> str:
    return str(OBJECT_TYPES.get(code, code))


def category_labels(codes: str) -> str:
    out = []
    for code in filter(None, (codes or "").split(",")):
        out.append(str(DataCategory(code).label) if code in DataCategory.values else code)
    return ", ".join(out)


def reason_label(reason: str) -> str:
    reason = str(reason or "")
    if reason in REASONS:
        return str(REASONS[reason])
    for pattern, template in REASON_PATTERNS:
        m = pattern.match(reason)
        if m:
            x = m.group("x")
            if x in DataCategory.values:
                x = str(DataCategory(x).label)
            elif x in CAPABILITIES:
                x = str(CAPABILITIES[x])
            return str(template) % {"x": x}
    return reason


def explanation(entry) -> str:
    """The reason and other facts in ``detail``, readable: a reveal's purpose as typed by the
    analyst, a denial's cause, what a list read or an export covered."""
    detail = entry.detail or {}
    parts = []
    if detail.get("reason"):
        reason = detail["reason"]
        parts.append(reason if entry.action == "reveal" else reason_label(reason))
    if "pseudonymised" in detail:
        parts.append(
            gettext("gepseudonimiseerd") if detail["pseudonymised"] else gettext("met identiteit")
        )
    if detail.get("ids"):
        parts.append(gettext("%(n)s objecten") % {"n": len(detail["ids"])})
    if detail.get("changed"):
        parts.append(gettext("gewijzigd: %(f)s") % {"f": ", ".join(map(str, detail["changed"]))})
    if detail.get("filter"):
        parts.append(
            gettext("filter: %(f)s")
            % {"f": ", ".join(f"{k}={v}" for k, v in detail["filter"].items())}
        )
    return "; ".join(parts)


ROLE_LABELS = dict(Role.choices)  # an entry keeps the role its user had then


def labelled(entries) -> list:
    """The entries with display attributes, organisation names fetched in one query."""
    entries = list(entries)
    codes = {e.organisation for e in entries if e.organisation}
    names = (
        dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
        if codes
        else {}
    )
    purpose_codes = {e.purpose for e in entries if e.purpose and e.purpose not in PURPOSES}
    purposes = (
        dict(Purpose.objects.filter(code__in=purpose_codes).values_list("code", "name"))
        if purpose_codes
        else {}
    )
    for e in entries:
        e.organisation_name = names.get(e.organisation, e.organisation)
        e.role_label = str(ROLE_LABELS.get(e.role, e.role))
        e.purpose_label = (
            str(PURPOSES[e.purpose])
            if e.purpose in PURPOSES
            else purposes.get(e.purpose, e.purpose)
        )
        e.object_label = object_type_label(e.object_type)
        m = re.match(r"^(\d+) objecten$", e.object_id or "")
        e.object_id_label = gettext("%(n)s objecten") % {"n": m.group(1)} if m else e.object_id
        if e.object_type in {"page", "api"}:
            e.object_id_label = e.path or _page_path(
                e.object_id
            )  # the address, not the view's internal name
        e.categories_label = category_labels(e.data_categories)
        e.explanation = explanation(e)
    return entries


def chain_reason(reason: str) -> str:
    return str(CHAIN_REASONS.get(reason, reason))
