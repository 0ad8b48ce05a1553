"""Reference data of the demo: purposes, partner organisations, the covenant with its grants,
and the verwerkingsregister (processing activities for every data source and case type).

The organisations are the real kinds of partners of Utrecht's approach; every person, number and
record generated on top of them is synthetic. `seed_reference_data()` is idempotent: it updates
rows by their code, so running it again brings an existing database in line with this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.management import call_command
from django.db import transaction

from doorbraak import policy
from doorbraak.areas.models import Area
from doorbraak.partners.models import (
    Covenant,
    CovenantGrant,
    DataCategory,
    Organisation,
    OrganisationKind,
    Purpose,
)
from doorbraak.privacy.models import ActivityKind, ProcessingActivity, RetentionAction

C = DataCategory
K = OrganisationKind

# Purposes not (yet) named in the policy module.
PURPOSE_RETENTION = "bewaartermijn"
PURPOSE_SUBJECT_ACCESS = "inzageverzoek"
PURPOSE_MONEY_LAUNDERING = "witwasanalyse"

PURPOSES: dict[str, tuple[str, str]] = {
    policy.PURPOSE_CASE_WORK: (
        "Casusaanpak",
        "Persoonsgerichte aanpak van jongeren die doorgroeien in de criminaliteit en van criminele "
        "families: casusoverleg, plan van aanpak, interventies en evaluatie met de partners.",
    ),
    policy.PURPOSE_RISK_ANALYSIS: (
        "Risicoanalyse ondermijning",
        "Informatie- en risicogestuurde analyse van panden en bedrijven (gebiedsbeeld Nieuw Overvecht, "
        "Amsterdamsestraatweg en later stadsbreed) ter voorbereiding van bestuurlijk optreden.",
    ),
    policy.PURPOSE_ENFORCEMENT: (
        "Handhaving",
        "Bestuurlijke controles en handhaving: Knock and Talk, vergunningcontroles, sluitingen "
        "(Opiumwet art. 13b, APV), controles opkopersregister en BRP-adrescontroles.",
    ),
    policy.PURPOSE_PRIVACY: (
        "Privacytoezicht",
        "Toezicht door de functionaris gegevensbescherming op rechtmatige verwerking: auditlog, "
        "verwerkingsregister, bewaartermijnen.",
    ),
    policy.PURPOSE_MONITORING: (
        "Monitoring en verantwoording",
        "Geaggregeerde cijfers over de aanpak voor de gemeenteraad; kleine aantallen worden onderdrukt.",
    ),
    policy.PURPOSE_MANAGEMENT: (
        "Beheer",
        "Technisch en functioneel beheer van het platform: gebruikers, organisaties en convenant.",
    ),
    PURPOSE_RETENTION: (
        "Bewaartermijnen",
        "Verwijderen of anonimiseren van gegevens waarvan de bewaartermijn is verstreken.",
    ),
    PURPOSE_SUBJECT_ACCESS: (
        "Inzageverzoek",
        "Afhandelen van een verzoek om inzage van een betrokkene (AVG art. 15).",
    ),
    PURPOSE_MONEY_LAUNDERING: (
        "Witwasanalyse",
        "Analyse van witwastypologieën in transactienetwerken en kwetsbaarheid van sectoren "
        "(bankpilot), op gepseudonimiseerde gegevens.",
    ),
}


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    kind: str
    parent: str | None = None


ORG_GEMEENTE = "gemeente-utrecht"
ORG_OOV = "gemeente-oov"
ORG_VTH = "gemeente-vth"
ORG_JZ = "gemeente-juridische-zaken"
ORG_FG = "gemeente-fg"
ORG_ICT = "gemeente-ict"
ORG_POLITIE = "politie-mn"
ORG_OM = "om-mn"
ORG_RN = "reclassering-nederland"
ORG_LJ_R = "leger-des-heils-jbr"
ORG_SVG = "svg-verslavingsreclassering"
ORG_BUURTTEAMS = "buurtteams-utrecht"
ORG_JOU = "jou-jongerenwerk"
ORG_ROC = "roc-midden-nederland"
ORG_RIEC = "riec-mn"
ORG_BELASTINGDIENST = "belastingdienst"
ORG_BANK = "bankpartner"
ORG_RVDK = "raad-kinderbescherming"

ORGANISATIONS: list[Org] = [
    Org(ORG_GEMEENTE, "Gemeente Utrecht", K.MUNICIPALITY),
    Org(ORG_OOV, "Gemeente Utrecht — Openbare Orde en Veiligheid", K.MUNICIPALITY, ORG_GEMEENTE),
    Org(
        ORG_VTH,
        "Gemeente Utrecht — Vergunningen, Toezicht en Handhaving",
        K.MUNICIPALITY,
        ORG_GEMEENTE,
    ),
    Org(ORG_JZ, "Gemeente Utrecht — Juridische Zaken", K.MUNICIPALITY, ORG_GEMEENTE),
    Org(
        ORG_FG,
        "Gemeente Utrecht — Privacy en Functionaris Gegevensbescherming",
        K.MUNICIPALITY,
        ORG_GEMEENTE,
    ),
    Org(ORG_ICT, "Gemeente Utrecht — Informatievoorziening en ICT", K.MUNICIPALITY, ORG_GEMEENTE),
    Org(ORG_POLITIE, "Politie Midden-Nederland", K.POLICE),
    Org(ORG_OM, "Openbaar Ministerie Midden-Nederland", K.PROSECUTION),
    Org(ORG_RN, "Reclassering Nederland", K.PROBATION),
    Org(ORG_LJ_R, "Leger des Heils Jeugdbescherming & Reclassering", K.PROBATION),
    Org(ORG_SVG, "Verslavingsreclassering SVG", K.PROBATION),
    Org(ORG_BUURTTEAMS, "Buurtteams Utrecht", K.CARE),
    Org(ORG_JOU, "Jongerenwerk Utrecht (JoU)", K.YOUTH_WORK),
    Org(ORG_ROC, "ROC Midden Nederland", K.EDUCATION),
    Org(ORG_RIEC, "RIEC Midden-Nederland", K.RIEC),
    Org(ORG_BELASTINGDIENST, "Belastingdienst", K.TAX),
    Org(ORG_BANK, "Bankpartner (pilot)", K.BANK),
    Org(ORG_RVDK, "Raad voor de Kinderbescherming", K.OTHER),
]

PROBATION = (ORG_RN, ORG_LJ_R, ORG_SVG)

COVENANT_TITLE = "Convenant Doorbraak — Grenzen stellen, perspectief bieden"
COVENANT_REFERENCE = "DBR-CONV-2025-01"
COVENANT_LEGAL_BASIS = (
    "Verwerking in het kader van de Utrechtse aanpak van drugsgerelateerde ondermijnende criminaliteit "
    "'Grenzen stellen, perspectief bieden'.\n"
    "- AVG art. 6 lid 1 sub e (taak van algemeen belang) en, voor strafrechtelijke gegevens, art. 10 AVG "
    "in samenhang met art. 33 UAVG;\n"
    "- Gemeentewet art. 172 (handhaving openbare orde) en art. 174a (sluiting), Opiumwet art. 13b;\n"
    "- Wet politiegegevens art. 20 (structurele verstrekking aan een samenwerkingsverband);\n"
    "- Wet justitiële en strafvorderlijke gegevens (Wjsg) art. 39f (verstrekking strafvorderlijke gegevens);\n"
    "- Jeugdwet art. 7.4.4 en Wmo 2015 art. 5.2.1 (gegevensverwerking door gemeente en aanbieders);\n"
    "- Wet Bibob en de RIEC-convenant Midden-Nederland voor de bestuurlijke aanpak van ondermijning.\n"
    "Elke partner ziet alleen de gegevenscategorieën die hieronder per doel zijn afgesproken (need-to-know)."
)
COVENANT_VALID_FROM = date(2025, 1, 1)
COVENANT_VALID_UNTIL = date(2028, 12, 31)

ALL_CATEGORIES = tuple(C.values)
CASE_PARTNER_BASE = (C.IDENTITY, C.CONTACT)

# (organisation, purpose) -> data categories. Need-to-know: a school never sees justice data,
# health data goes only to care partners, the bank only ever sees transactions.
GRANTS: dict[tuple[str, str], tuple[str, ...]] = {
    # casusaanpak
    (ORG_OOV, policy.PURPOSE_CASE_WORK): (
        C.IDENTITY,
        C.CONTACT,
        C.EDUCATION,
        C.CARE,
        C.FINANCE,
        C.JUSTICE,
    ),
    (ORG_POLITIE, policy.PURPOSE_CASE_WORK): (C.IDENTITY, C.CONTACT, C.JUSTICE),
    (ORG_OM, policy.PURPOSE_CASE_WORK): (C.IDENTITY, C.JUSTICE),
    (ORG_RN, policy.PURPOSE_CASE_WORK): (
        C.IDENTITY,
        C.CONTACT,
        C.JUSTICE,
        C.EDUCATION,
        C.FINANCE,
        C.CARE,
    ),
    (ORG_LJ_R, policy.PURPOSE_CASE_WORK): (
        C.IDENTITY,
        C.CONTACT,
        C.JUSTICE,
        C.EDUCATION,
        C.FINANCE,
        C.CARE,
    ),
    (ORG_SVG, policy.PURPOSE_CASE_WORK): (
        C.IDENTITY,
        C.CONTACT,
        C.JUSTICE,
        C.EDUCATION,
        C.FINANCE,
        C.CARE,
        C.HEALTH,
    ),
    (ORG_BUURTTEAMS, policy.PURPOSE_CASE_WORK): (
        C.IDENTITY,
        C.CONTACT,
        C.CARE,
        C.FINANCE,
        C.EDUCATION,
        C.HEALTH,
    ),
    (ORG_JOU, policy.PURPOSE_CASE_WORK): (C.IDENTITY, C.CONTACT, C.EDUCATION),
    (ORG_ROC, policy.PURPOSE_CASE_WORK): (C.IDENTITY, C.EDUCATION),
    (ORG_RVDK, policy.PURPOSE_CASE_WORK): (C.IDENTITY, C.CONTACT, C.CARE, C.EDUCATION),
    # risicoanalyse
    (ORG_RIEC, policy.PURPOSE_RISK_ANALYSIS): (C.IDENTITY, C.PREMISES, C.FINANCE, C.TRANSACTIONS),
    (ORG_OOV, policy.PURPOSE_RISK_ANALYSIS): (C.IDENTITY, C.PREMISES, C.FINANCE, C.TRANSACTIONS),
    (ORG_BELASTINGDIENST, policy.PURPOSE_RISK_ANALYSIS): (C.FINANCE, C.PREMISES),
    # handhaving
    (ORG_VTH, policy.PURPOSE_ENFORCEMENT): (C.IDENTITY, C.PREMISES),
    (ORG_JZ, policy.PURPOSE_ENFORCEMENT): (C.IDENTITY, C.PREMISES),
    # witwasanalyse (bank pilot)
    (ORG_BANK, PURPOSE_MONEY_LAUNDERING): (C.TRANSACTIONS,),
    (ORG_RIEC, PURPOSE_MONEY_LAUNDERING): (C.TRANSACTIONS, C.FINANCE),
    # privacy officer: everything, but only for supervision and subject access
    (ORG_FG, policy.PURPOSE_PRIVACY): ALL_CATEGORIES,
    (ORG_FG, PURPOSE_SUBJECT_ACCESS): ALL_CATEGORIES,
}


@dataclass(frozen=True)
class Activity:
    code: str
    name: str
    kind: str
    controller: str
    purpose: str
    legal_basis: str
    categories: tuple[str, ...]
    retention_days: int
    retention_action: str
    retention_trigger: str
    recipients: str = ""
    refreshed_on: date | None = None


SOURCE_KVK = "bron-kvk-handelsregister"
SOURCE_BAG = "bron-bag"
SOURCE_BRP = "bron-brp-bewoning"
SOURCE_PERMITS = "bron-vergunningen"
SOURCE_CLOSURES = "bron-sluitingen"
SOURCE_DOR = "bron-dor-opkopersregister"
SOURCE_POLICE = "bron-politiesignalen"
SOURCE_BANK = "bron-bank-sectorinzichten"
SOURCE_TENANTS = "bron-huurders-corporaties"
CASE_TYPE_INDIVIDUAL = "casus-doorgroeier"
CASE_TYPE_FAMILY = "casus-gezin"

_DELIVERY = "levering van het bestand (ontvangstdatum)"
_CASE_BASIS = (
    "AVG art. 6 lid 1 sub e en art. 9 lid 2 sub g en h (gezondheid) jo. art. 30 UAVG; art. 10 AVG jo. art. 33 "
    "UAVG (strafrechtelijke gegevens); Gemeentewet art. 172; Wpg art. 20; Wjsg art. 39f; Jeugdwet art. 7.4.4; "
    "Convenant Doorbraak."
)

ACTIVITIES: list[Activity] = [
    Activity(
        SOURCE_KVK,
        "Handelsregister-uittreksel (KvK)",
        ActivityKind.SOURCE,
        ORG_OOV,
        policy.PURPOSE_RISK_ANALYSIS,
        "AVG art. 6 lid 1 sub e; Handelsregisterwet 2007 art. 21 en 22 (openbaarheid); Gemeentewet art. 172; "
        "Wet Bibob art. 7a.",
        (C.IDENTITY, C.PREMISES),
        730,
        RetentionAction.DELETE,
        _DELIVERY,
        "Gemeente OOV, RIEC Midden-Nederland",
        date(2026, 10, 15),
    ),
    Activity(
        SOURCE_BAG,
        "Basisregistratie Adressen en Gebouwen (BAG)",
        ActivityKind.SOURCE,
        ORG_OOV,
        policy.PURPOSE_RISK_ANALYSIS,
        "Wet basisregistratie adressen en gebouwen (Wet BAG) art. 2 en 32; AVG art. 6 lid 1 sub e.",
        (C.PREMISES,),
        730,
        RetentionAction.DELETE,
        _DELIVERY,
        "Alle partners met de categorie 'panden en bedrijven'",
        date(2026, 10, 15),
    ),
    Activity(
        SOURCE_BRP,
        "BRP-bewoningsoverzicht (Basisregistratie Personen)",
        ActivityKind.SOURCE,
        ORG_OOV,
        policy.PURPOSE_ENFORCEMENT,
        "Wet basisregistratie personen art. 3.3 (verstrekking aan organen van de gemeente); AVG art. 6 lid 1 "
        "sub e; Gemeentewet art. 172.",
        (C.IDENTITY, C.CONTACT, C.PREMISES),
        365,
        RetentionAction.DELETE,
        _DELIVERY,
        "Gemeente OOV en VTH",
        date(2026, 10, 20),
    ),
    Activity(
        SOURCE_PERMITS,
        "Vergunningen (exploitatie, Alcoholwet, APV autobranche)",
        ActivityKind.SOURCE,
        ORG_VTH,
        policy.PURPOSE_ENFORCEMENT,
        "Alcoholwet art. 3; APV Utrecht 2010 art. 2:28 (horeca-exploitatie) en art. 2:47 (aanwijzing autobranche "
        "Nieuw Overvecht); Wet Bibob art. 3.",
        (C.IDENTITY, C.PREMISES),
        730,
        RetentionAction.DELETE,
        _DELIVERY,
        "Gemeente VTH, Juridische Zaken",
        date(2026, 10, 1),
    ),
    Activity(
        SOURCE_CLOSURES,
        "Eerdere sluitingen (Opiumwet art. 13b, Gemeentewet art. 174a, APV)",
        ActivityKind.SOURCE,
        ORG_VTH,
        policy.PURPOSE_ENFORCEMENT,
        "Opiumwet art. 13b; Gemeentewet art. 174 en 174a; APV Utrecht 2010; AVG art. 6 lid 1 sub e en art. 10 jo. "
        "art. 33 UAVG.",
        (C.IDENTITY, C.PREMISES, C.JUSTICE),
        730,
        RetentionAction.DELETE,
        _DELIVERY,
        "Gemeente VTH, Juridische Zaken, OOV",
        date(2026, 10, 1),
    ),
    Activity(
        SOURCE_DOR,
        "Digitaal Opkopersregister (DOR)",
        ActivityKind.SOURCE,
        ORG_VTH,
        policy.PURPOSE_ENFORCEMENT,
        "Wetboek van Strafrecht art. 437 en 437ter (registerplicht opkopers); APV Utrecht 2010; AVG art. 6 lid 1 "
        "sub e.",
        (C.IDENTITY, C.PREMISES, C.TRANSACTIONS),
        365,
        RetentionAction.DELETE,
        _DELIVERY,
        "Gemeente VTH",
        date(2026, 10, 1),
    ),
    Activity(
        SOURCE_POLICE,
        "Politiesignalen over panden (gepseudonimiseerd)",
        ActivityKind.SOURCE,
        ORG_POLITIE,
        policy.PURPOSE_RISK_ANALYSIS,
        "Wet politiegegevens art. 20 (verstrekking aan het RIEC-samenwerkingsverband); RIEC-convenant "
        "Midden-Nederland; AVG art. 6 lid 1 sub e.",
        (C.JUSTICE, C.PREMISES),
        365,
        RetentionAction.DELETE,
        _DELIVERY,
        "RIEC Midden-Nederland, Gemeente OOV",
        date(2026, 10, 10),
    ),
    Activity(
        SOURCE_BANK,
        "Sectorinzichten bankpilot (geaggregeerd, gepseudonimiseerd)",
        ActivityKind.SOURCE,
        ORG_BANK,
        PURPOSE_MONEY_LAUNDERING,
        "Wwft art. 2a en 3 (cliëntenonderzoek); AVG art. 6 lid 1 sub c en f; pilotconvenant publiek-private "
        "samenwerking witwassen.",
        (C.TRANSACTIONS, C.FINANCE),
        365,
        RetentionAction.DELETE,
        _DELIVERY,
        "RIEC Midden-Nederland (alleen sectoraggregaten)",
        date(2026, 9, 30),
    ),
    Activity(
        SOURCE_TENANTS,
        "Huurdersbestand woningcorporaties (woonfraude en ondermijning)",
        ActivityKind.SOURCE,
        ORG_OOV,
        policy.PURPOSE_ENFORCEMENT,
        "AVG art. 6 lid 1 sub e; Woningwet art. 2 en 45 (taak corporaties bij leefbaarheid); Huisvestingswet 2014; "
        "convenant woonfraude en ondermijning gemeente Utrecht en woningcorporaties.",
        (C.IDENTITY, C.PREMISES),
        365,
        RetentionAction.DELETE,
        _DELIVERY,
        "Gemeente OOV en VTH, RIEC Midden-Nederland",
        None,
    ),
    Activity(
        CASE_TYPE_INDIVIDUAL,
        "Casus doorgroeier (individuele persoonsgerichte aanpak)",
        ActivityKind.CASE_TYPE,
        ORG_OOV,
        policy.PURPOSE_CASE_WORK,
        _CASE_BASIS,
        (C.IDENTITY, C.CONTACT, C.EDUCATION, C.CARE, C.HEALTH, C.FINANCE, C.JUSTICE),
        5 * 365,
        RetentionAction.ANONYMISE,
        "sluiting van de casus",
        "Deelnemende partners volgens het convenant (need-to-know)",
    ),
    Activity(
        CASE_TYPE_FAMILY,
        "Casus gezin (gezinsgerichte aanpak criminele families)",
        ActivityKind.CASE_TYPE,
        ORG_OOV,
        policy.PURPOSE_CASE_WORK,
        _CASE_BASIS,
        (C.IDENTITY, C.CONTACT, C.EDUCATION, C.CARE, C.HEALTH, C.FINANCE, C.JUSTICE),
        5 * 365,
        RetentionAction.ANONYMISE,
        "sluiting van de casus",
        "Deelnemende partners volgens het convenant (need-to-know)",
    ),
    Activity(
        "handhaving-ondermijning",  # enforcement.retention.ENFORCEMENT_ACTIVITY
        "Handhavingsdossier ondermijning (acties, bevindingen, besluiten, bezwaren)",
        ActivityKind.CASE_TYPE,
        ORG_VTH,
        policy.PURPOSE_ENFORCEMENT,
        "Opiumwet art. 13b; Gemeentewet art. 172, 174 en 174a; APV Utrecht 2010; Wet Bibob art. 3; Awb "
        "hoofdstuk 5 en 6 (bezwaar); AVG art. 6 lid 1 sub e en art. 10 jo. art. 33 UAVG.",
        (C.IDENTITY, C.PREMISES, C.JUSTICE),
        7 * 365,
        RetentionAction.DELETE,
        "uitvoering van de actie of datum van het besluit",
        "Gemeente VTH, Juridische Zaken, OOV; RIEC Midden-Nederland (alleen aggregaten)",
    ),
]


@transaction.atomic
def seed_reference_data(today: date | None = None) -> dict[str, int]:
    """Create or update purposes, organisations, the covenant and the verwerkingsregister, dated
    for a demo built on `today` (default: the build date; see clock.py)."""
    from .clock import demo_today, shift

    today = today or demo_today()
    purposes = {}
    for code, (name, description) in PURPOSES.items():
        purposes[code], _ = Purpose.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )

    orgs: dict[str, Organisation] = {}
    for org in ORGANISATIONS:  # parents come before their departments
        orgs[org.code], _ = Organisation.objects.update_or_create(
            code=org.code,
            defaults={
                "name": org.name,
                "kind": org.kind,
                "parent": orgs.get(org.parent),
                "active": True,
            },
        )

    covenant, _ = Covenant.objects.update_or_create(
        title=COVENANT_TITLE,
        defaults={
            "reference": COVENANT_REFERENCE,
            "legal_basis": COVENANT_LEGAL_BASIS,
            "valid_from": shift(COVENANT_VALID_FROM, today),
            "valid_until": shift(COVENANT_VALID_UNTIL, today),
        },
    )
    wanted = {
        (orgs[org].pk, category, purposes[purpose].pk)
        for (org, purpose), categories in GRANTS.items()
        for category in categories
    }
    existing = {
        (g.organisation_id, g.data_category, g.purpose_id): g.pk
        for g in CovenantGrant.objects.filter(covenant=covenant)
    }
    CovenantGrant.objects.filter(
        pk__in=[pk for key, pk in existing.items() if key not in wanted]
    ).delete()
    CovenantGrant.objects.bulk_create(
        [
            CovenantGrant(covenant=covenant, organisation_id=o, data_category=c, purpose_id=p)
            for (o, c, p) in sorted(wanted - existing.keys())
        ]
    )

    for a in ACTIVITIES:
        ProcessingActivity.objects.update_or_create(
            code=a.code,
            defaults={
                "name": a.name,
                "kind": a.kind,
                "controller": orgs[a.controller],
                "purpose": purposes[a.purpose],
                "legal_basis": a.legal_basis,
                "data_categories": [str(c) for c in a.categories],
                "retention_days": a.retention_days,
                "retention_action": a.retention_action,
                "retention_trigger": a.retention_trigger,
                "recipients": a.recipients,
                "refreshed_on": shift(a.refreshed_on, today) if a.refreshed_on else None,
            },
        )
    # The city, its wijken and the two focus areas, as an installation loads them
    # (`loaddata utrecht`); loading again updates them (natural keys).
    call_command("loaddata", AREAS_FIXTURE, verbosity=0)
    return {
        "areas": Area.objects.count(),
        "purposes": len(purposes),
        "organisations": len(orgs),
        "grants": len(wanted),
        "activities": len(ACTIVITIES),
    }


AREAS_FIXTURE = "utrecht"  # doorbraak/areas/fixtures/utrecht.json


def organisation(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def activity(code: str) -> ProcessingActivity:
    return ProcessingActivity.objects.get(code=code)
