"""Dutch (translatable) names for the linkage model's comparisons and levels. The analytics
package stays free of Django and speaks in fixed English ids; the pages translate them here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COMPARISONS = {
    "given_name": _("voornaam"),
    "surname": _("achternaam"),
    "birth": _("geboortedatum"),
    "bsn": _("BSN"),
    "address": _("adres"),
    "company_name": _("bedrijfsnaam"),
    "kvk_number": _("KvK-nummer"),
    "legal_form": _("rechtsvorm"),
}

LEVELS = {
    "missing": _("ontbreekt aan een kant"),
    "different": _("verschillend"),
    "All other comparisons": _("verschillend"),
    # given name
    "given names equal": _("voornamen gelijk"),
    "first name equal": _("eerste voornaam gelijk"),
    "first name similar": _("eerste voornaam lijkt erop"),
    "first name among the other's given names": _(
        "eerste voornaam komt voor in de voornamen van de ander"
    ),
    "given name and surname swapped": _("voornaam en achternaam verwisseld"),
    "initials equal, one side initials only": _(
        "voorletters gelijk, aan één kant alleen voorletters"
    ),
    "first initial equal, one side initials only": _(
        "eerste voorletter gelijk, aan één kant alleen voorletters"
    ),
    "initials equal": _("voorletters gelijk"),
    "first initial equal": _("eerste voorletter gelijk"),
    # surname
    "surname and prefix equal": _("achternaam en tussenvoegsel gelijk"),
    "surname equal, prefix differs or missing": _(
        "achternaam gelijk, tussenvoegsel anders of ontbreekt"
    ),
    "known by partner's or double name": _("bekend onder naam partner of dubbele naam"),
    "surname similar (jw >= 0.92)": _("achternaam lijkt sterk (Jaro-Winkler ≥ 0,92)"),
    "surname roughly similar (jw >= 0.8)": _("achternaam lijkt enigszins (Jaro-Winkler ≥ 0,8)"),
    # birth
    "birth date equal": _("geboortedatum gelijk"),
    "birth date one typo": _("geboortedatum één tikfout"),
    "day and month swapped": _("dag en maand verwisseld"),
    "birth year equal, one side year only": _("geboortejaar gelijk, aan één kant alleen het jaar"),
    "birth date two typos": _("geboortedatum twee tikfouten"),
    "birth year equal": _("geboortejaar gelijk"),
    "birth year equal, full dates differ": _("geboortejaar gelijk, volledige datums verschillen"),
    # identifiers
    "identifier equal": _("nummer gelijk"),
    "identifier one typo": _("nummer één tikfout"),
    "identifier two typos": _("nummer twee tikfouten"),
    "KvK number equal": _("KvK-nummer gelijk"),
    "KvK number one typo": _("KvK-nummer één tikfout"),
    "KvK numbers differ": _("KvK-nummers verschillen"),
    # address
    "postcode, number and addition equal": _("postcode, huisnummer en toevoeging gelijk"),
    "postcode and number equal, addition differs": _(
        "postcode en huisnummer gelijk, toevoeging anders"
    ),
    "street and number equal": _("straat en huisnummer gelijk"),
    "postcode one typo, number equal": _("postcode één tikfout, huisnummer gelijk"),
    "street similar, number equal": _("straat lijkt erop, huisnummer gelijk"),
    "postcode equal": _("postcode gelijk"),
    "postcode equal, number missing on one side": _(
        "postcode gelijk, huisnummer aan één kant onbekend"
    ),
    "street equal, number missing on one side": _(
        "straat gelijk, huisnummer aan één kant onbekend"
    ),
    "same postcode area": _("zelfde postcodegebied (4 cijfers)"),
    "street equal": _("straat gelijk"),
    "city equal": _("woonplaats gelijk"),
    # company
    "name equal": _("naam gelijk"),
    "trade name matches statutory or trade name": _(
        "handelsnaam komt overeen met statutaire naam of handelsnaam"
    ),
    "same words, other order": _("zelfde woorden, andere volgorde"),
    "name similar (jw >= 0.92)": _("naam lijkt sterk (Jaro-Winkler ≥ 0,92)"),
    "name roughly similar (jw >= 0.8)": _("naam lijkt enigszins (Jaro-Winkler ≥ 0,8)"),
    "legal form equal": _("rechtsvorm gelijk"),
}


def comparison_label(name: str) -> str:
    return str(COMPARISONS.get(name, name))


def level_label(level: str) -> str:
    return str(LEVELS.get(level, level))


def explained(comparisons: list[dict]) -> list[dict]:
    """The explanation's comparisons with their names and levels in the user's language."""
    return [
        {
            **c,
            "comparison": comparison_label(c.get("comparison", "")),
            "level": level_label(c.get("level", "")),
        }
        for c in comparisons
    ]
