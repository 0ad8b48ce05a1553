"""Why an object has its score: every indicator that fired, its value, weight and the source
records behind it (source type, record key, row in the extract)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import indicators as ind

if TYPE_CHECKING:
    from .evaluate import Result

NAMES = {"premises": "pand", "company": "bedrijf"}
MAX_RECORDS = 20


def _records(result: Result, iid: str, object_id: str) -> list[str]:
    i = result.rules.get(iid)
    window = _window(result)
    query = ind.evidence(iid, i.parameters, window, result.tables, object_id)
    rows = result.con.execute(
        f"SELECT * FROM ({query}) ORDER BY 1, 3 LIMIT {MAX_RECORDS + 1}"
    ).fetchall()
    shown = [f"{source} {record} (rij {row})" for source, record, row in rows[:MAX_RECORDS]]
    if len(rows) > MAX_RECORDS:
        shown.append("...")
    return shown


def _window(result: Result) -> ind.Window:
    if result.window is None or result.con is None:
        raise ValueError("explain needs the result of evaluate() (its window and connection)")
    return result.window


def explain(result: Result, object_id: str) -> str | None:
    rows = [r for r in result.rows if r[1] == object_id]
    if not rows:
        return None
    lines = []
    values = {iid: dict(pairs) for iid, pairs in result.fired.items()}
    for object_type, oid, score, ids in rows:
        lines.append(
            f"{NAMES[object_type]} {oid}: score {score:g} (regelset {result.rules.version}, "
            f"peildatum {result.as_of.isoformat()})"
        )
        for iid in ids:
            i = result.rules.get(iid)
            lines.append(f"- {iid} (gewicht {i.weight:g}): {i.description}")
            if i.level == object_type:
                lines.append(f"  waarde: {values[iid][oid]:g}")
                lines += [f"  bron: {r}" for r in _records(result, iid, oid)]
                continue
            # a company indicator counted at the premises where the company is established
            companies = [
                kvk
                for (kvk,) in result.con.execute(
                    f"SELECT kvk FROM r_companies c WHERE c.bag_id = ? AND {ind.active('c', _window(result).as_of)} "
                    f"ORDER BY kvk",
                    [oid],
                ).fetchall()
                if kvk in values[iid]
            ]
            for kvk in companies:
                lines.append(f"  via bedrijf {kvk}, waarde {values[iid][kvk]:g}")
                lines += [f"  bron: {r}" for r in _records(result, iid, kvk)]
        lines.append(
            f"  juridische grondslag per indicator: zie `doorbraak risk rules`; "
            f"extracten: {', '.join(f'{t} ({e.sha256[:12]})' for t, e in sorted(result.extracts.items()))}"
        )
    return "\n".join(lines)
