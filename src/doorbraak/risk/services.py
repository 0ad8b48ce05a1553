"""The risk run as the app does it, without deciding who may: snapshot the register tables to
Parquet (the mapping's column names, so ``doorbraak risk evaluate`` reads them as it reads any
extract), evaluate them with ``doorbraak_analysis.risk`` (never a second implementation of the
rules), and turn the outcome into stored results with the source records behind each indicator.

Writes with audit live in ``actions.py``; this module is the machinery they call.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from doorbraak_analysis.registers.mapping import load_mapping
from doorbraak_analysis.risk import indicators as ind
from doorbraak_analysis.risk.evaluate import Result, evaluate
from doorbraak_analysis.risk.rules import DEFAULT_RULES

MAX_SOURCES = 20  # source records kept per indicator and object (as `doorbraak risk explain`)
SNAPSHOT_DIR = "risk/snapshots"
# Officers and residents go into the snapshot under their pseudonym, not their name; the
# person key of the indicators (``officer_many_companies``) is then Doorbraak's own person
# record. The mapping requires a birth date: a fixed placeholder, never the real one.
PSEUDONYM_SURNAME = "pseudoniem"
NO_BIRTH_DATE = date(1900, 1, 1)


class SnapshotError(Exception):
    """A snapshot that is missing or no longer what the run stored (hash differs)."""


def var_dir() -> Path:
    return Path(settings.VAR_DIR)


def snapshot_root() -> Path:
    return var_dir() / SNAPSHOT_DIR


def shipped_rules_text() -> str:
    return DEFAULT_RULES.read_text(encoding="utf-8")


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- snapshot ----------------------------------------------------------------------------------


def _col(source_type: str, field: str) -> str:
    """The column an extract of this source type carries a field under (its first name)."""
    return load_mapping(source_type).fields[field].columns[0]


def _table(source_type: str, columns: dict[str, tuple[pa.DataType, list]]) -> pa.Table:
    return pa.table(
        {_col(source_type, f): pa.array(values, type=t) for f, (t, values) in columns.items()}
    )


S, INT, F, D = pa.string(), pa.int64(), pa.float64(), pa.date32()


def _premises_table() -> pa.Table:
    from doorbraak.registers.models import Premises

    rows = list(
        Premises.objects.order_by("bag_id").values_list(
            "bag_id",
            "street",
            "house_number",
            "house_letter",
            "house_number_addition",
            "postcode",
            "city",
            "wijk",
            "area",
            "use",
            "floor_area",
            "lat",
            "lon",
        )
    )
    names = [
        ("bag_id", S),
        ("street", S),
        ("house_number", INT),
        ("house_letter", S),
        ("house_number_addition", S),
        ("postcode", S),
        ("city", S),
        ("wijk", S),
        ("area", S),
        ("use", S),
        ("floor_area", INT),
        ("lat", F),
        ("lon", F),
    ]
    return _table("bag_premises", {n: (t, [r[i] for r in rows]) for i, (n, t) in enumerate(names)})


def _companies_table() -> pa.Table:
    from doorbraak.registers.models import Company

    rows = list(
        Company.objects.order_by("kvk_number").values_list(
            "kvk_number",
            "name",
            "trade_name",
            "legal_form",
            "sbi_code",
            "sbi_description",
            "registered_on",
            "deregistered_on",
            "establishment__bag_id",
        )
    )
    names = [
        ("kvk_number", S),
        ("name", S),
        ("trade_name", S),
        ("legal_form", S),
        ("sbi_code", S),
        ("sbi_description", S),
        ("registered_on", D),
        ("deregistered_on", D),
        ("bag_id", S),
    ]
    return _table("kvk_companies", {n: (t, [r[i] for r in rows]) for i, (n, t) in enumerate(names)})


def _officers_table() -> pa.Table:
    """Functions, the person as a pseudonym. A person holding the same function at a company
    twice (ended, later started again) is one key in the mapping: the later ones get ``(2)``…"""
    from doorbraak.registers.models import Officer

    rows = list(
        Officer.objects.order_by(
            "company__kvk_number", "person__pseudonym", "since", "pk"
        ).values_list("company__kvk_number", "person__pseudonym", "role", "since", "until")
    )
    seen: dict[tuple, int] = {}
    out = {
        k: []
        for k in ("kvk_number", "given_names", "surname", "birth_date", "role", "since", "until")
    }
    for kvk, pseudonym, role, since, until in rows:
        key = (kvk, pseudonym, role.lower())
        seen[key] = seen.get(key, 0) + 1
        out["kvk_number"].append(kvk)
        out["given_names"].append(pseudonym)
        out["surname"].append(PSEUDONYM_SURNAME)
        out["birth_date"].append(NO_BIRTH_DATE)
        out["role"].append(role if seen[key] == 1 else f"{role} ({seen[key]})")
        out["since"].append(since)
        out["until"].append(until)
    types = {"birth_date": D, "since": D, "until": D}
    return _table("kvk_officers", {k: (types.get(k, S), v) for k, v in out.items()})


def _occupancy_table() -> pa.Table:
    """Who is registered where (BRP): only the count per premises is ever used; names are
    pseudonyms. Persons without a BSN cannot be an occupancy record (the BSN is its key)."""
    from doorbraak.registers.models import Person

    rows = list(
        Person.objects.filter(residence__isnull=False, anonymised=False)
        .exclude(bsn="")
        .order_by("bsn", "pk")
        .values_list("bsn", "pseudonym", "residence__bag_id")
    )
    seen, kept = set(), []
    for bsn, pseudonym, bag_id in rows:
        if bsn not in seen:
            seen.add(bsn)
            kept.append((bsn, pseudonym, bag_id))
    return _table(
        "brp_occupancy",
        {
            "bsn": (S, [r[0] for r in kept]),
            "given_names": (S, [r[1] for r in kept]),
            "surname": (S, [PSEUDONYM_SURNAME] * len(kept)),
            "bag_id": (S, [r[2] for r in kept]),
        },
    )


ENTRY_SOURCES = {
    "permits": ("permit", ["status"]),
    "closures": ("closure", ["duration_months", "object_type"]),
    "dor": ("dor", ["category", "flag"]),
    "bank_sectors": ("bank_sector", ["sbi_code", "area", "accounts", "flagged"]),
}
INT_FIELDS = {"duration_months", "accounts", "flagged"}


def _entries_table(source_type: str) -> pa.Table:
    from doorbraak.registers.models import RegisterEntry

    kind, extra = ENTRY_SOURCES[source_type]
    mapping = load_mapping(source_type)
    qs = (
        RegisterEntry.objects.filter(kind=kind)
        .select_related("premises", "company")
        .order_by("key", "pk")
    )
    fields = [f for f in ("key", "occurred_on", "ends_on", "description") if f in mapping.fields]
    refs = [f for f in ("kvk_number", "bag_id") if f in mapping.fields]
    out: dict[str, list] = {f: [] for f in fields + refs + extra}
    seen = set()
    for e in qs:
        if e.key in seen:  # the same key from two sources: the first (by id) stands
            continue
        seen.add(e.key)
        for f in fields:
            out[f].append(getattr(e, f))
        if "kvk_number" in out:
            out["kvk_number"].append(e.company.kvk_number if e.company else None)
        if "bag_id" in out:
            out["bag_id"].append(e.premises.bag_id if e.premises else None)
        for f in extra:
            value = e.data.get(f)
            if f in INT_FIELDS:
                value = int(value) if value not in (None, "") else None
            elif value is not None:
                value = str(value)
            out[f].append(value)
    types = {"occurred_on": D, "ends_on": D, **dict.fromkeys(INT_FIELDS, INT)}
    return _table(source_type, {f: (types.get(f, S), v) for f, v in out.items()})


def _bank_table() -> pa.Table | None:
    """The bank's sector figures as the moneyflows app hands them to the risk rules (None when
    it has none: then a register entry of kind bank_sector, if any, is used)."""
    from doorbraak.moneyflows.selectors import bank_sector_rows

    rows = bank_sector_rows()
    if not rows:
        return None
    types = {"occurred_on": D, "accounts": INT, "flagged": INT}
    return _table("bank_sectors", {f: (types.get(f, S), [r[f] for r in rows]) for f in rows[0]})


def _source_present(source_type: str, kind: str) -> bool:
    """A source without rows goes into the snapshot (empty) only when it is a registered feed:
    'no closures' is then a fact; otherwise its indicators are reported as not evaluated."""
    from doorbraak.registers.models import RegisterEntry, SourceFeed

    return (
        RegisterEntry.objects.filter(kind=kind).exists()
        or SourceFeed.objects.filter(source_type=source_type).exists()
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_snapshot(directory: Path) -> dict[str, dict]:
    """The register tables as Parquet extracts in ``directory``; per source: file, SHA-256, rows."""
    from doorbraak.registers.models import Company, Officer, Premises

    directory.mkdir(parents=True, exist_ok=True)
    tables: dict[str, object] = {}
    if Premises.objects.exists():
        tables["bag_premises"] = _premises_table
    if Company.objects.exists():
        tables["kvk_companies"] = _companies_table
    if Officer.objects.exists():
        tables["kvk_officers"] = _officers_table
    tables["brp_occupancy"] = _occupancy_table
    for source_type, (kind, _extra) in ENTRY_SOURCES.items():
        if _source_present(source_type, kind):
            tables[source_type] = lambda s=source_type: _entries_table(s)
    bank = _bank_table()
    if bank is not None:
        tables["bank_sectors"] = lambda: bank
    manifest = {}
    for source_type, build in tables.items():
        table = build()
        path = directory / f"{source_type}.parquet"
        pq.write_table(table, path, compression="zstd")
        manifest[source_type] = {
            "file": path.name,
            "sha256": file_sha256(path),
            "rows": table.num_rows,
        }
    (directory / "snapshot.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8"
    )
    return manifest


def snapshot_dir(run) -> Path:
    return var_dir() / run.snapshot_path


def check_snapshot(run) -> Path:
    """The run's snapshot directory, after checking every file against the stored SHA-256."""
    if run.snapshot_removed_at or not run.snapshot_path:
        raise SnapshotError(
            f"de momentopname van run {run.pk} is verwijderd (bewaartermijn); niet meer te herhalen"
        )
    directory = snapshot_dir(run)
    for info in run.snapshot.values():
        path = directory / info["file"]
        if not path.exists():
            raise SnapshotError(f"run {run.pk}: {info['file']} ontbreekt in de momentopname")
        if file_sha256(path) != info["sha256"]:
            raise SnapshotError(
                f"run {run.pk}: {info['file']} is gewijzigd sinds de run (SHA-256 wijkt af)"
            )
    extra = {p.name for p in directory.glob("*.parquet")} - {
        i["file"] for i in run.snapshot.values()
    }
    if extra:
        raise SnapshotError(
            f"run {run.pk}: onbekende bestanden in de momentopname: {sorted(extra)}"
        )
    return directory


def remove_snapshot(run) -> None:
    if run.snapshot_path:
        shutil.rmtree(snapshot_dir(run), ignore_errors=True)


# --- evaluating and turning the outcome into results ---------------------------------------------


def evaluate_dir(directory: Path, rules, as_of: date) -> Result:
    return evaluate(directory, rules, as_of)


def evaluate_snapshot(rule_set, run) -> Result:
    """Evaluate ``rule_set`` (a RuleSet model: the run's own to reproduce it, a draft for a
    backtest) over the stored snapshot of ``run``, on the run's evaluation date."""
    return evaluate_dir(check_snapshot(run), rule_set.parsed(), run.as_of)


@dataclass
class ObjectResult:
    object_type: str
    object_id: str
    score: float
    indicators: list[dict]


def _sources(result: Result, iid: str, object_id: str) -> list[dict]:
    i = result.rules.get(iid)
    query = ind.evidence(iid, i.parameters, result.window, result.tables, object_id)
    # the analytics' own evidence query (the object id in it is quoted by indicators._lit)
    rows = result.con.execute(
        f"SELECT * FROM ({query}) ORDER BY 1, 3 LIMIT {MAX_SOURCES}"  # noqa: S608
    ).fetchall()
    return [{"source": s, "record": str(r), "row": int(n)} for s, r, n in rows]


def object_results(result: Result) -> list[ObjectResult]:
    """Every object with its fired indicators: value, weight, source records, and for a
    company indicator counted at a premises the companies it came through."""
    values = {
        iid: {oid: (float(v) if v is not None else None) for oid, v in pairs}
        for iid, pairs in result.fired.items()
    }
    active = ind.active("c", result.window.as_of) if "r_companies" in result.tables else None
    company_at: dict[str, list[str]] = {}
    if active:
        for kvk, bag_id in result.con.execute(
            f"SELECT kvk, bag_id FROM r_companies c WHERE bag_id IS NOT NULL AND {active} "  # noqa: S608
            "ORDER BY bag_id, kvk"
        ).fetchall():
            company_at.setdefault(bag_id, []).append(kvk)
    memo: dict[tuple[str, str], list[dict]] = {}

    def sources(iid: str, oid: str) -> list[dict]:
        if (iid, oid) not in memo:  # a company's records serve it and its premises
            memo[(iid, oid)] = _sources(result, iid, oid)
        return memo[(iid, oid)]

    out = []
    for object_type, object_id, score, ids in result.rows:
        items = []
        for iid in ids:
            i = result.rules.get(iid)
            item = {"id": iid, "weight": i.weight, "level": i.level}
            if i.level == object_type:
                item["value"] = values[iid][object_id]
                item["sources"] = sources(iid, object_id)
                item["via"] = []
            else:
                via = [k for k in company_at.get(object_id, []) if k in values[iid]]
                item["value"] = max(
                    (values[iid][k] for k in via if values[iid][k] is not None), default=None
                )
                item["sources"] = [s for k in via[:5] for s in sources(iid, k)][:MAX_SOURCES]
                item["via"] = via
            items.append(item)
        out.append(ObjectResult(object_type, object_id, score, items))
    return out


def results_digest(rows) -> str:
    """One hash over (object_type, object_id, score, indicator ids): what reproduction compares."""
    canonical = sorted((t, oid, round(float(s), 6), sorted(ids)) for t, oid, s, ids in rows)
    return hashlib.sha256(json.dumps(canonical).encode()).hexdigest()
