"""Linkage on sparse, noisy sources (issue 15): missing values are unknown, not disagreement;
blocking finds pairs without birth date and postcode; a bare year against a full date; one
given name against several; letters decomposition does not fold; and companies with
different KvK numbers are never merged unless an analyst judged them the same."""

from datetime import UTC, datetime

import pandas as pd
import pytest

from doorbraak_analysis import linkage as lk
from doorbraak_analysis.dutch import ascii_fold, phonetic_key
from doorbraak_analysis.dutch.addresses import normalise_city, normalise_postcode
from doorbraak_analysis.dutch.companies import normalise_company_name
from doorbraak_analysis.linkage import synth
from doorbraak_analysis.linkage.clustering import DIFFERENT_KEYS
from doorbraak_analysis.linkage.model import BIRTH_DATES_DIFFER, blocking_rules_for

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
COLUMNS = ["voornamen", "voorvoegsel", "geslachtsnaam", "geboortedatum"]
ADDRESS = ["straat", "huisnummer", "huisletter", "huisnummertoevoeging", "postcode", "woonplaats"]
MAPPING = {
    "id": "id",
    "given_names": "voornamen",
    "surname_prefix": "voorvoegsel",
    "surname": "geslachtsnaam",
    "birth_date": "geboortedatum",
    "street": "straat",
    "house_number": "huisnummer",
    "house_letter": "huisletter",
    "house_number_addition": "huisnummertoevoeging",
    "postcode": "postcode",
    "city": "woonplaats",
}


def _population():
    people = synth.make_population(400, seed=21).rename(columns={"person_id": "id"})
    people = people[["id", *COLUMNS, *ADDRESS]].astype(str)
    people["huisnummer"] = people["huisnummer"].str.replace(".0", "", regex=False)
    return people.drop_duplicates(["voornamen", "geslachtsnaam"]).reset_index(drop=True)


def _pick(people, several_given=False):
    """Persons whose name is unique in the population (so that the true pair is the only
    plausible one) and, if asked, with more than one given name."""
    counts = people.groupby("geslachtsnaam")["id"].transform("count")
    pool = people[(counts == 1) & (people["voorvoegsel"] == "")]
    if several_given:
        pool = pool[pool["voornamen"].str.contains(" ")]
    return pool


@pytest.fixture(scope="module")
def sparse_world():
    """A register (left) and a sparse police-like source (right), each right record about a
    known person, built to one case each."""
    people = _population()
    single = _pick(people)
    several = _pick(people, several_given=True)
    a, b, c, d, e = (single.iloc[i] for i in range(5))
    f = several.iloc[0]
    g = several.iloc[1]
    # the register knows a person with letters Unicode decomposition does not fold
    people.loc[people.id == e.id, ["voornamen", "geslachtsnaam"]] = ["Łukasz", "Yıldız-Øster"]
    rows = [
        # no birth date, no postcode, initials only: found through surname + initial + street
        (
            "S-nobirth",
            a.id,
            a.voornamen[0] + ".",
            "",
            a.geslachtsnaam.upper(),
            "",
            a.straat,
            a.huisnummer,
            "",
            a.woonplaats.upper(),
        ),
        # the same person as above seen again, with a *different* birth date: disagreement
        (
            "S-otherbirth",
            a.id,
            a.voornamen[0] + ".",
            "",
            a.geslachtsnaam.upper(),
            "1901-02-03",
            a.straat,
            a.huisnummer,
            "",
            a.woonplaats.upper(),
        ),
        # a bare birth year against the register's full date, postcode written '3522-HL'
        (
            "S-year",
            b.id,
            b.voornamen,
            "",
            b.geslachtsnaam,
            b.geboortedatum[:4],
            b.straat,
            "",
            f"{b.postcode[:4]}-{b.postcode[4:]}",
            b.woonplaats,
        ),
        # house number missing: unknown, not another house
        (
            "S-nohouse",
            c.id,
            c.voornamen,
            "",
            c.geslachtsnaam,
            c.geboortedatum,
            c.straat,
            "",
            c.postcode.lower(),
            c.woonplaats.upper(),
        ),
        # one given name against several (the first)
        (
            "S-first",
            f.id,
            f.voornamen.split(" ")[0],
            "",
            f.geslachtsnaam,
            f.geboortedatum,
            "",
            "",
            "",
            "",
        ),
        # one given name against several (not the first: the name the person goes by)
        (
            "S-roepnaam",
            g.id,
            g.voornamen.split(" ")[-1],
            "",
            g.geslachtsnaam,
            g.geboortedatum,
            g.straat,
            g.huisnummer,
            g.postcode,
            g.woonplaats,
        ),
        # plain-letter spelling of 'Łukasz Yıldız-Øster'
        (
            "S-fold",
            e.id,
            "Lukasz",
            "",
            "YILDIZ-OSTER",
            e.geboortedatum,
            e.straat,
            e.huisnummer,
            e.postcode,
            e.woonplaats,
        ),
        # a surname typo, no birth date, no house number: the Dutch sound-alike key blocks
        (
            "S-phonetic",
            d.id,
            d.voornamen,
            "",
            d.geslachtsnaam + d.geslachtsnaam[-1],
            "",
            d.straat,
            "",
            d.postcode,
            d.woonplaats,
        ),
    ]
    right = pd.DataFrame(
        rows,
        columns=["id", "truth", "voornamen", "voorvoegsel", "geslachtsnaam", "geboortedatum",
                 "straat", "huisnummer", "postcode", "woonplaats"],
    )  # fmt: skip
    right_mapping = {k: v for k, v in MAPPING.items() if v in right.columns}
    truth = dict(zip(right["id"], right.pop("truth"), strict=True))
    result = lk.link_tables(people, right, MAPPING, right_mapping, "person")
    return result, truth


def _pair(result, right_id):
    p = result.pairs
    hit = p[p["unique_id_r"] == right_id].sort_values("match_probability", ascending=False)
    return hit.iloc[0] if len(hit) else None


def _levels(result, left_id, right_id):
    why = result.explain(left_id, right_id)
    return {c["comparison"]: (c["level"], c["match_weight"]) for c in why["comparisons"]}


def test_every_sparse_case_links_to_its_person(sparse_world):
    result, truth = sparse_world
    for right_id, left_id in truth.items():
        if right_id == "S-otherbirth":
            continue  # below: disagreement, weighed against
        best = _pair(result, right_id)
        assert best is not None, f"{right_id} was not found (blocking or scoring)"
        assert best["unique_id_l"] == left_id, right_id
        assert best["decision"] == "link", (right_id, best["match_probability"])


def test_sparse_blocking_finds_a_pair_without_birth_date_and_postcode():
    features = lk.prepare_records(
        pd.DataFrame(
            {"id": ["r"], "voornamen": ["J."], "geslachtsnaam": ["Bakker"],
             "straat": ["Oudegracht"], "huisnummer": ["12"]}
        ),
        {"id": "id", "given_names": "voornamen", "surname": "geslachtsnaam",
         "street": "straat", "house_number": "huisnummer"},
    )  # fmt: skip
    assert features.loc[0, "birth_year"] is None and features.loc[0, "postcode"] is None
    rules = blocking_rules_for(
        "person", lk.model.present_fields([features], "person") | {"postcode"}
    )
    assert (
        "l.surname_core = r.surname_core and l.initial1 = r.initial1 and l.street = r.street"
        in rules
    )
    assert (
        "l.initial1 = r.initial1 and l.street = r.street and l.house_number = r.house_number"
        in rules
    )
    with_pc4 = blocking_rules_for("person", {"surname_key", "initial1", "pc4", "surname_core"})
    assert "l.surname_key = r.surname_key and l.initial1 = r.initial1 and l.pc4 = r.pc4" in with_pc4


def test_missing_birth_date_is_unknown_not_disagreement(sparse_world):
    result, truth = sparse_world
    left = truth["S-nobirth"]
    missing = _levels(result, left, "S-nobirth")
    assert missing["birth"] == ("missing", 0.0)
    other = result.pairs[
        (result.pairs.unique_id_l == left) & (result.pairs.unique_id_r == "S-otherbirth")
    ]
    # a disagreeing birth date weighs against: lower than the same record without one
    nobirth = result.pairs[
        (result.pairs.unique_id_l == left) & (result.pairs.unique_id_r == "S-nobirth")
    ]
    assert other.empty or (
        float(other.match_weight.iloc[0]) < float(nobirth.match_weight.iloc[0]) - 3
    )


def test_missing_house_number_is_not_a_different_house(sparse_world):
    result, truth = sparse_world
    level, weight = _levels(result, truth["S-nohouse"], "S-nohouse")["address"]
    assert level == "postcode equal, number missing on one side" and weight > 0


def test_bare_year_against_full_date_is_its_own_level(sparse_world):
    result, truth = sparse_world
    level, weight = _levels(result, truth["S-year"], "S-year")["birth"]
    assert level == "birth year equal, one side year only" and weight > 0


def test_one_given_name_against_several(sparse_world):
    result, truth = sparse_world
    assert _levels(result, truth["S-first"], "S-first")["given_name"][0] == "first name equal"
    level, weight = _levels(result, truth["S-roepnaam"], "S-roepnaam")["given_name"]
    assert level == "first name among the other's given names" and weight > 0


def test_letters_decomposition_does_not_fold(sparse_world):
    result, truth = sparse_world
    levels = _levels(result, truth["S-fold"], "S-fold")
    assert levels["surname"][0] == "surname and prefix equal"
    assert levels["given_name"][0] == "given names equal"
    assert (
        ascii_fold("Yıldız Łukasz Øster đurić Ærø Straße")
        == "Yildiz Lukasz Oster duric AEro Strasse"
    )


def test_full_dates_that_differ_weigh_against_even_when_the_year_agrees():
    # namesakes: same names and birth year, another day, another home; EM, which sees them
    # agree on every name, must not learn 'same year, other date' as evidence for a link
    people = synth.make_population(1500, seed=5)
    people = people.rename(columns={"person_id": "id"})[["id", *COLUMNS, *ADDRESS]].astype(str)
    copies = people.iloc[:300].assign(id=lambda t: "C" + t["id"])
    twins = people.iloc[300:400].copy()
    twins = twins[twins["geboortedatum"].str[5:] != "12-31"]
    twins["id"] = "T" + twins["id"]
    twins["geboortedatum"] = twins["geboortedatum"].str[:4] + "-12-31"
    twins[ADDRESS] = people.iloc[1000 : 1000 + len(twins)][ADDRESS].values
    result = lk.link_tables(
        people, pd.concat([copies, twins], ignore_index=True), MAPPING, MAPPING, "person"
    )
    linked = result.pairs[result.pairs.decision == "link"]
    assert not linked.unique_id_r.str.startswith("T").any()
    assert linked.unique_id_r.str.startswith("C").sum() >= 290
    level = result.model.level_table()["birth"]
    differ = [v for v in level.values() if v["level"] == BIRTH_DATES_DIFFER]
    assert differ and differ[0]["match_weight"] < -2


def test_postcodes_and_place_names_normalise():
    assert {normalise_postcode(v) for v in ("3522-HL", "3522hl", "3522 hl", " 3522-hl ")} == {
        "3522HL"
    }
    assert normalise_city("UTRECHT") == normalise_city("Utrecht") == "utrecht"
    assert normalise_city("'S-HERTOGENBOSCH") == normalise_city("'s-Hertogenbosch")


def test_dutch_sound_alike_key():
    assert phonetic_key("meijer") == phonetic_key("meyer") == phonetic_key("mijer")
    assert phonetic_key("jansen") == phonetic_key("janssen")
    assert phonetic_key("dijkstra") == phonetic_key("dykstra")
    assert phonetic_key("smit") == phonetic_key("smid")
    assert phonetic_key("jansen") != phonetic_key("jonker")
    assert phonetic_key(None) is None and phonetic_key("") is None


# ------------------------------------------------------------------ companies


@pytest.mark.parametrize(
    "name",
    [
        "Jansen B.V.",
        "JANSEN BV",
        "Jansen B.V",
        "Jansen b.v.",
        "Jansen Besloten Vennootschap",
        "Jansen N.V.",
        "Jansen V.O.F.",
        "Stichting Jansen",
        "Jansen Holding B.V.",
        "Jansen",
    ],
)
def test_legal_form_suffixes_are_stripped_for_comparison(name):
    assert normalise_company_name(name).core == "jansen"


def _pairs(rows):
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability"])


def test_different_kvk_numbers_are_never_merged_by_the_model():
    keys = {"a": "11111111", "b": "22222222"}
    clusters, refused = lk.cluster_records(["a", "b"], _pairs([("a", "b", 0.9999)]), keys=keys)
    assert clusters["a"] != clusters["b"]
    assert refused == [("a", "b", DIFFERENT_KEYS)]
    # nor through a record without a number in between (a-c, then c-b)
    keys = {"a": "11111111", "b": "22222222"}
    pairs = _pairs([("a", "c", 0.999), ("c", "b", 0.99)])
    clusters, refused = lk.cluster_records(["a", "b", "c"], pairs, keys=keys)
    assert clusters["a"] == clusters["c"] != clusters["b"]


def test_different_kvk_numbers_merge_when_an_analyst_judged_them_the_same():
    keys = {"a": "11111111", "b": "22222222", "c": "11111111"}
    judged = [lk.Judgement("a", "b", "same", "analist", T0)]
    pairs = _pairs([("a", "c", 0.99)])
    clusters, refused = lk.cluster_records(["a", "b", "c"], pairs, judged, keys=keys)
    assert clusters["a"] == clusters["b"] == clusters["c"] and not refused


def _companies():
    return pd.DataFrame(
        [
            ("k1", "Bakkerij Jansen B.V.", "30123456", "Oudegracht", "12", "3511AB"),
            ("k2", "Bakkerij Jansen BV", "30999888", "Oudegracht", "12", "3511AB"),
            ("k3", "BAKKERIJ JANSEN", "", "Oudegracht", "12", "3511 ab"),
            *[
                (f"f{i}", f"{w} Holding B.V.", f"{40000000 + i}", "Nevadadreef", str(i), "3565WW")
                for i, w in enumerate(["Alfa", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"])
            ],
        ],
        columns=["id", "naam", "kvk", "straat", "huisnummer", "postcode"],
    )


COMPANY_MAPPING = {
    "id": "id",
    "name": "naam",
    "kvk_number": "kvk",
    "street": "straat",
    "house_number": "huisnummer",
    "postcode": "postcode",
}


def test_company_dedupe_keeps_different_kvk_numbers_apart_unless_judged_same():
    result = lk.dedupe_table(_companies(), COMPANY_MAPPING, "company")
    entity = result.entity_of()
    assert entity["k1"] != entity["k2"]  # same name and address, two registrations
    assert entity["k3"] in (entity["k1"], entity["k2"])  # no number: joins one of them
    judged = [lk.Judgement("k1", "k2", "same", "analist", T0)]
    result = lk.dedupe_table(_companies(), COMPANY_MAPPING, "company", judgements=judged)
    entity = result.entity_of()
    assert entity["k1"] == entity["k2"] == entity["k3"]


def test_company_link_never_links_different_kvk_numbers_automatically():
    companies = _companies()
    left = companies[companies.id != "k2"]
    right = companies[companies.id == "k2"].assign(id="v2")
    out = lk.link_tables(left, right, COMPANY_MAPPING, COMPANY_MAPPING, "company").output()
    assert out[(out.left_id == "k1") & (out.decision == "link")].empty


def test_incremental_company_linking_respects_kvk_numbers():
    companies = _companies()
    existing_raw = companies[companies.id != "k2"]
    existing = lk.prepare_records(existing_raw, COMPANY_MAPPING, "company", "records")
    first = lk.resolve_features(existing, "company")
    new_raw = pd.concat(
        [
            companies[companies.id == "k2"],
            pd.DataFrame(
                [("n1", "Bakkerij Jansen b.v.", "30123456", "Oudegracht", "12", "3511AB")],
                columns=companies.columns,
            ),
        ],
        ignore_index=True,
    )
    new = lk.prepare_records(new_raw, COMPANY_MAPPING, "company", "records")
    later = lk.link_new_records(first.model, existing, first.entity_of(), new)
    entity = first.entity_of()
    assert later.assignments["n1"] == entity["k1"]  # same number: joins
    assert later.assignments["k2"] != entity["k1"]  # another number: a new entity
    judged = [lk.Judgement("k1", "k2", "same", "analist", T0)]
    later = lk.link_new_records(first.model, existing, entity, new, judgements=judged)
    assert later.assignments["k2"] == entity["k1"]


def test_attaching_new_records_refuses_another_kvk_number_without_a_judgement():
    keys = {"k1": "11111111", "k2": "22222222"}
    pairs = _pairs([("k1", "k2", 0.999)])
    assigned, refused = lk.attach_new_records(["k2"], pairs, {"k1": "org-1"}, keys=keys)
    assert assigned["k2"] != "org-1" and refused[0][2] == DIFFERENT_KEYS
    judged = [lk.Judgement("k1", "k2", "same", "analist", T0)]
    assigned, _ = lk.attach_new_records(["k2"], pairs, {"k1": "org-1"}, judged, keys=keys)
    assert assigned["k2"] == "org-1"
