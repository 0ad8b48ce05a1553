"""The entry for the Dutch Algoritmeregister (publication standard of MinBZK, fields as in
DOMAIN.md §4), generated from the live rule set: every indicator with its weight, sources and
legal basis is published, so the picture is verifiable (the lesson of SyRI)."""

from __future__ import annotations

from django.utils import timezone

SOURCE_NAMES = {
    "bag_premises": "Basisregistratie Adressen en Gebouwen (BAG): verblijfsobjecten en gebruiksdoel",
    "kvk_companies": "Handelsregister (KvK): ondernemingen, vestigingen, SBI-code, in- en uitschrijving",
    "kvk_officers": "Handelsregister (KvK): functionarissen (alleen als feit over een bedrijf)",
    "brp_occupancy": "Basisregistratie Personen (BRP): aantal inschrijvingen per adres",
    "permits": "Vergunningen van de gemeente (exploitatie, Alcoholwet, APV)",
    "closures": "Eerdere sluitingen (Opiumwet 13b, Gemeentewet 174a, APV)",
    "dor": "Digitaal Opkopersregister (CCV)",
    "bank_sectors": "Sectorinzichten bankpartner (geaggregeerd, geen personen)",
}


def entry(rule_set, latest_run=None) -> dict:
    parsed = rule_set.parsed()
    sources = sorted({s for i in parsed.indicators for s in i.sources})
    return {
        "algemeen": {
            "naam": "Doorbraak gebiedsbeeld ondermijning (panden en bedrijven)",
            "korte_omschrijving": (
                "Regels die een jurist kan lezen wijzen panden en bedrijven in de focusgebieden aan "
                "waar signalen van ondermijning samenkomen. Een mens beoordeelt elk signaal en "
                "besluit of er een controle komt. Personen krijgen nooit een score."
            ),
            "organisatie": "Gemeente Utrecht",
            "thema": "Openbare orde en veiligheid",
            "status": "In gebruik",
            "begindatum": (rule_set.adopted_at or rule_set.created_at).date().isoformat(),
            "einddatum": None,
            "contactgegevens": "Gemeente Utrecht, Openbare Orde en Veiligheid",
            "publiekspagina": "",
            "publicatiecategorie": "B (impactvol algoritme; geen AI-systeem dat personen profileert)",
            "bronregistratie": "Doorbraak (open source)",
        },
        "verantwoord_gebruik": {
            "doel_en_impact": (
                "Informatie- en risicogestuurd inzetten van bestuurlijke instrumenten in Nieuw "
                "Overvecht en op de Amsterdamsestraatweg (Grenzen stellen, perspectief bieden). "
                "Een signaal leidt alleen tot een controle als een handhaver dat besluit en "
                "vastlegt waarom."
            ),
            "afwegingen": (
                "Geen beschermde kenmerken (nationaliteit, afkomst, geboorteland, religie, "
                "gezondheid) of afgeleiden daarvan als invoer; per wijk en per branche wordt "
                "getoond hoe vaak elke indicator aanslaat naast het aandeel panden en bedrijven, "
                "zodat een ongelijk beeld zichtbaar wordt."
            ),
            "menselijke_tussenkomst": (
                "Geen indicator start zelf een actie. Handhavers plannen acties met een reden; "
                "sluitingen en gebiedsverboden vragen een tweede beoordelaar (vier ogen)."
            ),
            "risicobeheer": (
                "Versiebeheer van de regelset; een nieuwe versie wordt teruggetest op eerdere "
                "controles voordat hij wordt vastgesteld; precisie per indicator wordt gevolgd; "
                "elke run is met zijn momentopname exact te herhalen; elk inzien is gelogd."
            ),
            "wettelijke_basis": sorted({i.legal_basis for i in parsed.indicators}),
            "verwerkingsregister": "Verwerkingsregister gemeente Utrecht (Doorbraak, doel risicoanalyse)",
            "impacttoetsen": ["DPIA", "IAMA"],
        },
        "werking": {
            "gegevens": [{"bron": s, "omschrijving": SOURCE_NAMES.get(s, s)} for s in sources],
            "technische_werking": (
                "Elke indicator is een SQL-regel over de registers (DuckDB, ongewijzigd op Spark). "
                "De score van een pand of bedrijf is de som van de gewichten van de indicatoren "
                "die er aanslaan; een bedrijfsindicator telt ook bij het pand waar het bedrijf "
                "gevestigd is."
            ),
            "indicatoren": [
                {
                    "id": i.id,
                    "niveau": i.level,
                    "omschrijving": i.description,
                    "gewicht": i.weight,
                    "parameters": i.parameters,
                    "bronnen": list(i.sources),
                    "wettelijke_basis": i.legal_basis,
                    "onderbouwing": i.rationale,
                }
                for i in parsed.indicators
            ],
            "leverancier": "Eigen ontwikkeling (open source)",
            "broncode": "src/doorbraak_analysis/risk/ (regels: rules.yaml)",
        },
        "metadata": {
            "taal": "nl",
            "schema": "Algoritmeregister-Publicatiestandaard",
            "bron_id": f"doorbraak-gebiedsbeeld-{rule_set.version}",
            "zoektermen": ["ondermijning", "Bibob", "Opiumwet 13b", "gebiedsgerichte aanpak"],
            "regelset_versie": rule_set.version,
            "regelset_sha256": rule_set.sha256,
            "laatste_run": (
                {"run": latest_run.pk, "peildatum": latest_run.as_of.isoformat()}
                if latest_run
                else None
            ),
            "gegenereerd_op": timezone.localtime().isoformat(timespec="seconds"),
        },
    }
