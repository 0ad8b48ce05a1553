"""Resolved entities and stated relations as FollowTheMoney entities (JSON lines).

Person, Company, Address (residence and seat via ``addressEntity``), Directorship,
Ownership, Family and Associate — only relations a source states; none are inferred.
BSNs and protected attributes are never exported.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

import pandas as pd

from . import normalise as nl

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

# One record as pandas gives it (``DataFrame.to_dict("records")``): column name -> value.
Row = Mapping[Any, Any]
MakeEntity = Callable[[str], "EntityProxy"]

RELATION_SCHEMATA = {
    "directorship": ("Directorship", "director", "organization"),
    "ownership": ("Ownership", "owner", "asset"),
    "family": ("Family", "person", "relative"),
    "associate": ("Associate", "person", "associate"),
}


@dataclass(frozen=True)
class Relation:
    """A relation a source states between two records (or entities).

    ``kind``: directorship (person/company -> company), ownership (owner -> company),
    family or associate (person -> person). ``subject``/``object`` are record ids, mapped
    to entity ids through ``entity_of``; ids not found there are taken as entity ids.
    """

    kind: str
    subject: str
    object: str
    role: str = ""
    relationship: str = ""
    percentage: str = ""
    start_date: str = ""
    end_date: str = ""
    source: str = ""


def canonical_table(df: pd.DataFrame, mapping: Mapping[str, str]) -> pd.DataFrame:
    """Rename a raw table's mapped columns to canonical field names."""
    return pd.DataFrame(
        {field: df[column].values for field, column in mapping.items() if column in df.columns}
    )


def _hash_id(*parts: str, prefix: str) -> str:
    return (
        prefix
        + hashlib.sha1("\x1f".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
    )


def _value(row: Row, key: str) -> str | None:
    value = row.get(key)
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _address_entity(row: Row, make: MakeEntity) -> EntityProxy | None:
    postcode = nl.normalise_postcode(_value(row, "postcode"))
    house = nl.parse_house_number(
        _value(row, "house_number"),
        _value(row, "house_letter"),
        _value(row, "house_number_addition"),
    )
    street = _value(row, "street")
    city = _value(row, "city")
    free = _value(row, "address")
    if free and not (postcode or street):
        parsed = nl.parse_address(free)
        postcode, house = parsed.postcode, parsed.house_number
    if not (postcode or street or free):
        return None
    key: tuple[str, ...] = (
        postcode or nl.normalise_street(street) or "",
        str(house.number or ""),
        house.suffix or "",
        "" if postcode else (nl.normalise_city(city) or ""),
    )
    if not any(key[:2]) and free:
        key = (nl.clean_text(free) or "",)
    address = make("Address")
    address.id = _hash_id(*key, prefix="addr-")
    number = (
        f"{house.number}{(' ' + house.suffix.upper()) if house.suffix else ''}"
        if house.number
        else ""
    )
    full = free or ", ".join(
        x
        for x in (
            f"{street or ''} {number}".strip(),
            f"{postcode[:4] + ' ' + postcode[4:] if postcode and len(postcode) == 6 else postcode or ''} {city or ''}".strip(),
        )
        if x
    )
    address.add("full", full)
    if street:
        address.add("street", f"{street} {number}".strip())
    if postcode:
        address.add("postalCode", postcode)
    if city:
        address.add("city", city)
    address.add("country", "nl")
    return address


def _person_name(row: Row) -> tuple[str | None, str | None, str | None, str | None]:
    """(full name, first name, last name incl. prefix, name known by)."""
    given = _value(row, "given_names") or _value(row, "initials")
    prefix, surname = nl.split_surname(_value(row, "surname"), _value(row, "surname_prefix"))
    raw_surname = _value(row, "surname")
    if raw_surname is None and _value(row, "full_name"):
        return _value(row, "full_name"), None, None, None
    if raw_surname is None:
        return None, None, None, None
    last = " ".join(x for x in (_value(row, "surname_prefix"), raw_surname) if x)
    known = nl.known_surname(
        raw_surname,
        _value(row, "surname_prefix"),
        _value(row, "partner_surname"),
        _value(row, "partner_surname_prefix"),
        _value(row, "name_usage"),
    )
    first = given.split(" ")[0] if given and not nl.looks_like_initials(given) else None
    full = " ".join(x for x in (given, last) if x)
    known_full = (
        " ".join(x for x in (given, known) if x)
        if known and nl.clean_text(known) != nl.clean_text(last)
        else None
    )
    return full, first, last, known_full


def _add_person(proxy: EntityProxy, row: Row) -> None:
    """Names and birth date of one person record onto its entity's proxy."""
    full, first, last, known = _person_name(row)
    if full:
        proxy.add("name", full)
    if first:
        proxy.add("firstName", first)
    if last:
        proxy.add("lastName", last)
    if known:
        proxy.add("alias", known)
    birth, year = nl.parse_date(_value(row, "birth_date"))
    if not birth and not year:
        _, year = nl.parse_date(_value(row, "birth_year"))
    if birth or year:
        proxy.add("birthDate", birth or str(year))


def _add_company(proxy: EntityProxy, row: Row) -> None:
    """Name(s), KvK number and legal form of one company record onto its entity's proxy."""
    name = _value(row, "name")
    if name:
        parts = nl.TRADE_NAME_MARKERS.split(name.lower(), maxsplit=1)
        if len(parts) == 2:  # 'X B.V. h.o.d.n. Y': statutory name and trade name
            cut = len(parts[0])
            proxy.add("name", name[:cut].strip())
            proxy.add("alias", name[len(name) - len(parts[1]) :].strip())
        elif proxy.has("name"):
            proxy.add("alias", name)  # other spellings and trade names
        else:
            proxy.add("name", name)
    kvk = nl.normalise_kvk(_value(row, "kvk_number"))
    if kvk:
        proxy.add("registrationNumber", kvk)
    legal_form = (
        _value(row, "legal_form") or nl.parse_company_name(name).legal_form
        if name
        else _value(row, "legal_form")
    )
    if legal_form:
        proxy.add("legalForm", legal_form)
    proxy.add("jurisdiction", "nl")


def _relation_link(rel: Relation, entity_of: Mapping[str, str], make: MakeEntity) -> EntityProxy:
    """One relation as an FtM link entity between the (resolved) subject and object."""
    if rel.kind not in RELATION_SCHEMATA:
        raise ValueError(
            f"unknown relation kind {rel.kind!r}; use one of {', '.join(RELATION_SCHEMATA)}"
        )
    schema, subject_prop, object_prop = RELATION_SCHEMATA[rel.kind]
    subject = entity_of.get(str(rel.subject), str(rel.subject))
    obj = entity_of.get(str(rel.object), str(rel.object))
    link = make(schema)
    link.id = _hash_id(
        schema, subject, obj, rel.role, rel.relationship, rel.start_date, prefix="rel-"
    )
    link.add(subject_prop, subject)
    link.add(object_prop, obj)
    if rel.role:
        link.add("role", rel.role)
    if rel.relationship and schema in ("Family", "Associate"):
        link.add("relationship", rel.relationship)
    if rel.percentage and schema == "Ownership":
        link.add("percentage", rel.percentage)
    if rel.start_date:
        link.add("startDate", nl.parse_date(rel.start_date)[0] or rel.start_date)
    if rel.end_date:
        link.add("endDate", nl.parse_date(rel.end_date)[0] or rel.end_date)
    if rel.source:
        link.add("publisher", rel.source)
    return link


def entity_graph(
    persons: pd.DataFrame | None = None,
    companies: pd.DataFrame | None = None,
    relations: Iterable[Relation] = (),
    entity_of: Mapping[str, str] | None = None,
) -> list[EntityProxy]:
    """Build FtM entity proxies.

    ``persons`` / ``companies``: canonical-field tables (see ``canonical_table``) with an
    ``entity_id`` column (records of one entity are merged) and optionally ``record_id``.
    Returns a list of ``followthemoney`` EntityProxy objects, addresses first.
    """
    from followthemoney import model

    make = model.make_entity
    entity_of = dict(entity_of or {})
    addresses: dict[str, EntityProxy] = {}
    people: dict[str, EntityProxy] = {}
    orgs: dict[str, EntityProxy] = {}

    def add_address(row: Row, proxy: EntityProxy) -> None:
        address = _address_entity(row, make)
        if address is None or address.id is None:
            return
        if address.id in addresses:
            addresses[address.id].merge(address)
        else:
            addresses[address.id] = address
        proxy.add("addressEntity", address.id)
        proxy.add("address", address.first("full"))

    for row in persons.to_dict("records") if persons is not None else []:
        eid = str(row["entity_id"])
        if row.get("record_id") is not None:
            entity_of.setdefault(str(row["record_id"]), eid)
        proxy = people.get(eid) or make("Person")
        proxy.id = eid
        _add_person(proxy, row)
        add_address(row, proxy)
        people[eid] = proxy
    for row in companies.to_dict("records") if companies is not None else []:
        eid = str(row["entity_id"])
        if row.get("record_id") is not None:
            entity_of.setdefault(str(row["record_id"]), eid)
        proxy = orgs.get(eid) or make("Company")
        proxy.id = eid
        _add_company(proxy, row)
        add_address(row, proxy)
        orgs[eid] = proxy
    links = [_relation_link(rel, entity_of, make) for rel in relations]
    return [*addresses.values(), *people.values(), *orgs.values(), *links]


def validate_entities(entities: Iterable[EntityProxy]) -> list[str]:
    """Problems per entity according to the FtM model (empty list = all valid), including
    references to entities that are not in the export."""
    from followthemoney import model

    entities = list(entities)
    ids = {e.id for e in entities}
    problems = []
    for e in entities:
        data = e.to_dict()
        schema = model.get(data["schema"])
        if schema is None:
            problems.append(f"{e.id}: unknown schema {data['schema']!r}")
            continue
        error = schema.validate({"properties": data.get("properties", {})})
        if error:
            problems.append(f"{e.id}: {error}")
        for prop in e.iterprops():
            if prop.type.name == "entity":
                for ref in e.get(prop):
                    if ref not in ids:
                        problems.append(f"{e.id}: {prop.name} refers to missing entity {ref}")
    return problems


def write_ftm(entities: Iterable[EntityProxy], out: str | Path | IO[str]) -> int:
    """Write entities as FtM JSON lines (one entity per line, Aleph/OpenSanctions-readable)."""
    count = 0
    handle = open(out, "w", encoding="utf-8") if isinstance(out, (str, Path)) else out
    try:
        for entity in entities:
            handle.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    finally:
        if isinstance(out, (str, Path)):
            handle.close()
    return count


def export_ftm(
    out: str | Path | IO[str],
    persons: pd.DataFrame | None = None,
    companies: pd.DataFrame | None = None,
    relations: Iterable[Relation] = (),
    entity_of: Mapping[str, str] | None = None,
) -> int:
    """Build, validate and write the entity graph; raises ValueError if FtM rejects it."""
    entities = entity_graph(persons, companies, relations, entity_of)
    problems = validate_entities(entities)
    if problems:
        raise ValueError("FtM validation failed: " + "; ".join(problems[:20]))
    return write_ftm(entities, out)


def read_ftm(path: str | Path) -> Iterator[EntityProxy]:
    """Read FtM JSON lines back into proxies (for checks and round trips)."""
    from followthemoney import model

    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield model.get_proxy(json.loads(line))
