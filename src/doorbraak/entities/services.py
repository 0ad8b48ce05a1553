"""Entity resolution over the register tables: export, run the linkage library, store the
outcome; judge pairs; build an entity's records, network and timeline; FtM export.

The linkage itself is ``doorbraak_analysis.linkage`` (pure functions, no ORM); this module
is the only bridge between it and the database."""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction
from doorbraak.registers.models import Company, Officer, Person, Premises

from .models import (
    EntityAssignment,
    EntityType,
    Judgement,
    LinkageRun,
    PairState,
    ReviewPair,
    Verdict,
    parse_record_key,
    record_key,
)

PURPOSE = (
    policy.PURPOSE_RISK_ANALYSIS
)  # linkage runs, judgements and the FtM export are analysts' work
logger = logging.getLogger(__name__)

ADDRESS_FIELDS = (
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "city",
)
PERSON_MAPPING = {
    f: f for f in ("id", "given_names", "surname_prefix", "surname", "birth_date", *ADDRESS_FIELDS)
}
COMPANY_MAPPING = {f: f for f in ("id", "name", "kvk_number", "legal_form", *ADDRESS_FIELDS)}
MAPPINGS = {EntityType.PERSON: PERSON_MAPPING, EntityType.COMPANY: COMPANY_MAPPING}


# --- export of the registers as tables ------------------------------------------------


def _address(premises: Premises | None) -> dict:
    if premises is None:
        return {f: None for f in ADDRESS_FIELDS}
    return {
        "street": premises.street,
        "house_number": str(premises.house_number),
        "house_letter": premises.house_letter or None,
        "house_number_addition": premises.house_number_addition or None,
        "postcode": premises.postcode,
        "city": premises.city,
    }


def person_table(persons=None) -> pd.DataFrame:
    """Person rows of every register source, in canonical field names (no BSN: not needed
    to link and never leaves in an export)."""
    persons = persons if persons is not None else Person.objects.filter(anonymised=False)
    rows = [
        {
            "id": record_key(EntityType.PERSON, p.pk),
            "given_names": p.given_names or None,
            "surname_prefix": p.surname_prefix or None,
            "surname": p.surname or None,
            "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            **_address(p.residence),
        }
        for p in persons.select_related("residence").order_by("pk")
    ]
    return pd.DataFrame(rows, columns=list(PERSON_MAPPING))


def _name_with_trade_name(company: Company) -> str:
    """The statutory name, and the trade name after 'h.o.d.n.' when it says something else:
    the linker compares either against the other record's names."""
    from doorbraak_analysis.dutch.companies import normalise_company_name

    trade = company.trade_name
    if trade and normalise_company_name(trade).core != normalise_company_name(company.name).core:
        return f"{company.name} h.o.d.n. {trade}"
    return company.name


def company_table(companies=None) -> pd.DataFrame:
    companies = companies if companies is not None else Company.objects.all()
    rows = [
        {
            "id": record_key(EntityType.COMPANY, c.pk),
            "name": _name_with_trade_name(c),
            "kvk_number": c.kvk_number,
            "legal_form": c.legal_form or None,
            **_address(c.establishment),
        }
        for c in companies.select_related("establishment").order_by("pk")
    ]
    return pd.DataFrame(rows, columns=list(COMPANY_MAPPING))


def register_table(entity: str) -> pd.DataFrame:
    return person_table() if entity == EntityType.PERSON else company_table()


# --- runs ------------------------------------------------------------------------------


def latest_run(entity: str) -> LinkageRun | None:
    return (
        LinkageRun.objects.filter(entity_type=entity, finished_at__isnull=False)
        .order_by("-finished_at", "-id")
        .first()
    )


def assignments_of(run: LinkageRun | None) -> dict[str, str]:
    if run is None:
        return {}
    return {record_key(a.record_type, a.record_id): a.entity_id for a in run.assignments.all()}


def library_judgements(entity: str) -> list:
    from doorbraak_analysis import linkage as lk

    return [
        lk.Judgement(
            j.left_record,
            j.right_record,
            j.verdict,
            j.user.get_username(),
            j.created_at,
            deleted_at=j.deleted_at,
            note=j.note,
        )
        for j in Judgement.objects.filter(entity_type=entity)
        .select_related("user")
        .order_by("created_at", "id")
    ]


def _plain(value):
    """JSON-safe copy (numpy numbers, NaN) of an explanation."""
    return json.loads(
        json.dumps(value, default=lambda x: float(x) if hasattr(x, "__float__") else str(x)),
        parse_constant=lambda _: None,
    )


def linkage_lock(entity: str):
    """Two linkage runs of one entity type never overlap: each reads the latest run when it
    starts and stores its own at the end, so the second waits and builds on the first."""
    from doorbraak.locks import exclusive

    return exclusive(f"entities.linkage:{entity}")


def run_register_linkage(entity: str = "person", user=None, *, thresholds=None) -> LinkageRun:
    """Resolve all Person (or Company) records of all register sources into entities.

    Stored judgements override the model; the previous run's assignments keep entity ids
    stable. Stores assignments and the review queue, and writes one audit entry. Runs of one
    entity type are serialised (``linkage_lock``)."""
    with linkage_lock(entity):
        return _run_register_linkage(entity, user, thresholds=thresholds)


def _run_register_linkage(entity: str, user, *, thresholds) -> LinkageRun:
    from doorbraak_analysis import linkage as lk

    if entity not in EntityType.values:
        raise ValueError(f"entity must be one of {', '.join(EntityType.values)}, not {entity!r}")
    thresholds = thresholds or lk.Thresholds()
    started = timezone.now()
    table = register_table(entity)
    previous = assignments_of(latest_run(entity))
    judgements = library_judgements(entity)
    prefix = "per-" if entity == EntityType.PERSON else "org-"
    model_json, queue, refused = "", [], []
    if len(table) >= 2:
        features = lk.prepare_records(table, MAPPINGS[entity], entity, "registers")
        result = lk.resolve_features(
            features,
            entity,
            judgements=judgements,
            previous_entities=previous,
            thresholds=thresholds,
        )
        entity_of = result.entity_of()
        model_json = result.model.to_json()
        refused = [list(map(str, r)) for r in result.refused_merges]
        for row in result.review_queue().itertuples(index=False):
            left, right = str(row.unique_id_l), str(row.unique_id_r)
            queue.append(
                ReviewPair(
                    left_record=left,
                    right_record=right,
                    match_probability=float(row.match_probability),
                    explanation=_plain(result.explain(left, right)),
                )
            )
    else:
        entity_of = lk.assign_entity_ids({r: r for r in table["id"]}, previous, prefix)
    return _store_run(
        entity,
        user,
        entity_of=entity_of,
        queue=queue,
        started=started,
        thresholds=thresholds,
        model_json=model_json,
        record_count=len(table),
        judgement_count=len(judgements),
        refused=refused,
    )


def _store_run(
    entity: str,
    user,
    *,
    entity_of: dict[str, str],
    queue: list[ReviewPair],
    started,
    thresholds,
    model_json: str,
    record_count: int,
    judgement_count: int,
    refused: list,
    base_run=None,
    new_record_count: int = 0,
    detail: dict | None = None,
) -> LinkageRun:
    """Store one run (assignments, review queue) and its audit entry in one transaction."""
    by = user.get_username() if user is not None and user.is_authenticated else "systeem"
    with transaction.atomic():
        run = LinkageRun.objects.create(
            entity_type=entity,
            link_threshold=thresholds.link,
            review_threshold=thresholds.review,
            model_json=model_json,
            started_at=started,
            started_by=by,
            record_count=record_count,
            entity_count=len(set(entity_of.values())),
            review_count=len(queue),
            judgement_count=judgement_count,
            refused_merges=refused,
            incremental=base_run is not None,
            base_run=base_run,
            new_record_count=new_record_count,
        )
        EntityAssignment.objects.bulk_create(
            [
                EntityAssignment(
                    run=run,
                    record_type=parse_record_key(k)[0],
                    record_id=parse_record_key(k)[1],
                    entity_id=v,
                )
                for k, v in sorted(entity_of.items())
            ],
            batch_size=1000,
        )
        for pair in queue:
            pair.pk = None
            pair.run = run
        ReviewPair.objects.bulk_create(queue, batch_size=1000)
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        audit.record(
            AuditAction.CREATE,
            user=user,
            username=None if user is not None else "systeem",
            purpose=PURPOSE,
            object_type="linkage_run",
            object_id=run.pk,
            categories=["identity"] if entity == "person" else [],
            detail={
                "entity": entity,
                "records": run.record_count,
                "entities": run.entity_count,
                "review": run.review_count,
                "judgements": run.judgement_count,
                **(detail or {}),
            },
        )
    return run


# --- incremental linking ------------------------------------------------------------------


def _restore_previous_ids(
    assignments: dict[str, str],
    kept_ids: set[str],
    previous: dict[str, str],
    relinked: set[str],
    prefix: str,
) -> dict[str, str]:
    """A re-linked (changed) record that did not join an existing entity keeps the id it had,
    when no remaining record holds that id any more (e.g. it was an entity of its own)."""
    from doorbraak_analysis import linkage as lk

    assignments = dict(assignments)
    fresh: dict[str, list[str]] = {}
    for record, eid in assignments.items():
        if eid not in kept_ids:
            fresh.setdefault(eid, []).append(record)
    claims = []
    for eid, members in fresh.items():
        counts = Counter(
            previous[m] for m in members if m in relinked and previous[m] not in kept_ids
        )
        claims += [(-n, old, eid) for old, n in counts.items()]
    restored: dict[str, str] = {}
    used = set(kept_ids)
    for _, old, eid in sorted(claims):
        if eid in restored or old in used:
            continue
        restored[eid] = old
        used.add(old)
    for eid, members in sorted(fresh.items()):
        new_id = restored.get(eid, eid)
        if eid not in restored:
            n = 1
            while new_id in used:
                new_id = lk.entity_id_for(members + [f"#{n}"], prefix)
                n += 1
            used.add(new_id)
        for m in members:
            assignments[m] = new_id
    return assignments


def run_incremental_linkage(entity: str = "person", user=None, *, changed=()) -> LinkageRun | None:
    """Link only what the latest run has not seen into the existing entities.

    The records not assigned in the latest run, plus the ``changed`` record keys (e.g.
    ``person-12``, records whose values changed since), are scored against the existing
    records and each other with the stored model (no retraining, no re-scoring of existing
    pairs) and join an existing entity or become a new one. Analysts' judgements still
    override the model. Every entity id of the latest run stays; existing entities are never
    fused (a record that would bridge two goes to the review queue). Open review pairs of the
    latest run are carried over.

    Returns the new run (``incremental=True``), or None when there is no run for this entity
    type yet or nothing new to link. When the latest run had too few records for a model, a
    full run is made instead (it is as cheap). Serialised with every other run of the entity
    type (``linkage_lock``)."""
    with linkage_lock(entity):
        return _run_incremental_linkage(entity, user, changed=changed)


def _run_incremental_linkage(entity: str, user, *, changed) -> LinkageRun | None:
    from doorbraak_analysis import linkage as lk

    if entity not in EntityType.values:
        raise ValueError(f"entity must be one of {', '.join(EntityType.values)}, not {entity!r}")
    base = latest_run(entity)
    if base is None:
        return None
    started = timezone.now()
    table = register_table(entity)
    previous = assignments_of(base)
    present = set(table["id"])
    relinked = {str(k) for k in changed} & present & set(previous)
    new_keys = [k for k in table["id"] if k not in previous or k in relinked]
    if not new_keys:
        return None
    existing_keys = [k for k in table["id"] if k in previous and k not in relinked]
    if not base.model_json or not existing_keys:
        return run_register_linkage(entity, user)
    model = lk.LinkageModel.from_json(base.model_json)
    judgements = library_judgements(entity)
    features = lk.prepare_records(table, MAPPINGS[entity], entity, "registers")
    new_set = set(new_keys)
    existing = features[~features["unique_id"].isin(new_set)].reset_index(drop=True)
    new = features[features["unique_id"].isin(new_set)].reset_index(drop=True)
    entity_of = {k: previous[k] for k in existing_keys}
    prefix = "per-" if entity == EntityType.PERSON else "org-"
    result = lk.link_new_records(
        model, existing, entity_of, new, judgements=judgements, id_prefix=prefix
    )
    kept_ids = set(entity_of.values())
    assignments = _restore_previous_ids(result.assignments, kept_ids, previous, relinked, prefix)
    # the review queue: open pairs of the latest run between unchanged records, then the new pairs
    queue, seen = [], set()
    for pair in base.review_pairs.filter(state=PairState.OPEN).order_by("-match_probability", "id"):
        if pair.left_record in entity_of and pair.right_record in entity_of:
            seen.add(frozenset((pair.left_record, pair.right_record)))
            queue.append(
                ReviewPair(
                    left_record=pair.left_record,
                    right_record=pair.right_record,
                    match_probability=pair.match_probability,
                    explanation=pair.explanation,
                )
            )
    pairs = result.pairs
    bridging = {
        frozenset((str(a), str(b))) for a, b, why in result.refused_merges if "existing" in why
    }
    if len(pairs):
        bridges = pd.Series(
            [
                frozenset((str(a), str(b))) in bridging and not j
                for a, b, j in zip(
                    pairs["unique_id_l"], pairs["unique_id_r"], pairs["judged"], strict=True
                )
            ],
            index=pairs.index,
            dtype=bool,
        )
        wanted = ((pairs["decision"] == "review") & (pairs["judged"] == "")) | bridges
        for row in (
            pairs[wanted]
            .sort_values("match_probability", ascending=False, kind="stable")
            .itertuples(index=False)
        ):
            left, right = str(row.unique_id_l), str(row.unique_id_r)
            if frozenset((left, right)) in seen:
                continue
            seen.add(frozenset((left, right)))
            queue.append(
                ReviewPair(
                    left_record=left,
                    right_record=right,
                    match_probability=float(row.match_probability),
                    explanation=_plain(lk.explain_pair(model, pairs, left, right)),
                )
            )
    all_assignments = {**entity_of, **assignments}
    joined = sum(1 for k in new_keys if assignments[k] in kept_ids)
    return _store_run(
        entity,
        user,
        entity_of=all_assignments,
        queue=queue,
        started=started,
        thresholds=model.thresholds,
        model_json=base.model_json,
        record_count=len(all_assignments),
        judgement_count=len(judgements),
        refused=[list(map(str, r)) for r in result.refused_merges],
        base_run=base.base_run or base,
        new_record_count=len(new_keys),
        detail={
            "incremental": True,
            "after_run": base.pk,
            "new_records": len(new_keys) - len(relinked),
            "relinked": len(relinked),
            "joined_existing": joined,
            "new_entities": len({assignments[k] for k in new_keys} - kept_ids),
        },
    )


def link_after_import(batch, user=None) -> list[LinkageRun]:
    """After a committed, accepted register import: link the persons and companies it added
    or changed (also those at premises whose address it changed) incrementally into the
    existing entities. Nothing happens for an entity type without a linkage run yet.

    Never raises: a failure is logged and the import stands as it is."""
    from doorbraak.registers.models import BatchStatus, ImportBatch, RecordVersion

    runs = []
    try:
        if all(latest_run(entity) is None for entity in (EntityType.PERSON, EntityType.COMPANY)):
            return (
                runs  # nothing to link into yet: skip reading what a (possibly huge) import changed
            )
        if not isinstance(batch, ImportBatch):
            batch = ImportBatch.objects.get(pk=batch)
        if batch.status != BatchStatus.ACCEPTED:
            return runs
        touched: dict[str, set[int]] = {"person": set(), "company": set(), "premises": set()}
        for model, object_id in RecordVersion.objects.filter(
            batch=batch, model__in=list(touched)
        ).values_list("model", "object_id"):
            touched[model].add(object_id)
        if touched["premises"]:
            ids = list(touched["premises"])
            touched["person"] |= set(
                Person.objects.filter(residence__in=ids).values_list("pk", flat=True)
            )
            touched["company"] |= set(
                Company.objects.filter(establishment__in=ids).values_list("pk", flat=True)
            )
    except Exception:
        logger.exception(
            "entity linking after import %s: could not read what the import changed",
            getattr(batch, "pk", batch),
        )
        return runs
    for entity in (EntityType.PERSON, EntityType.COMPANY):
        if not touched[entity] or latest_run(entity) is None:
            continue
        try:
            run = run_incremental_linkage(
                entity, user, changed=[record_key(entity, pk) for pk in touched[entity]]
            )
        except Exception:
            logger.exception(
                "incremental %s linking after import %s failed; the import stands", entity, batch.pk
            )
            continue
        if run is not None:
            runs.append(run)
    return runs


# --- review queue and judgements ----------------------------------------------------------


def open_pairs(entity: str | None = None):
    """Open pairs of the latest run of each entity type."""
    runs = [
        r
        for r in (latest_run(e) for e in ([entity] if entity else EntityType.values))
        if r is not None
    ]
    return ReviewPair.objects.filter(run__in=runs, state=PairState.OPEN).select_related("run")


def judge_pair(pair: ReviewPair, verdict: str, user, note: str = "") -> Judgement:
    """Record an analyst's verdict; it overrides the model from the next run on. Audited."""
    if verdict not in Verdict.values:
        raise ValueError(f"verdict must be one of {', '.join(Verdict.values)}")
    with transaction.atomic():
        judgement = Judgement.objects.create(
            entity_type=pair.run.entity_type,
            left_record=pair.left_record,
            right_record=pair.right_record,
            verdict=verdict,
            user=user,
            created_at=timezone.now(),
            note=(note or "")[:300],
        )
        ReviewPair.objects.filter(
            run=pair.run, left_record=pair.left_record, right_record=pair.right_record
        ).update(state=PairState.DECIDED, judgement=judgement)
        audit.record(
            AuditAction.CREATE,
            user=user,
            purpose=PURPOSE,
            object_type="linkage_judgement",
            object_id=judgement.pk,
            detail={
                "left": pair.left_record,
                "right": pair.right_record,
                "verdict": verdict,
                "run": pair.run_id,
            },
        )
    return judgement


def withdraw_judgement(judgement: Judgement, user) -> None:
    with transaction.atomic():
        Judgement.objects.filter(pk=judgement.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now()
        )
        audit.record(
            AuditAction.DELETE,
            user=user,
            purpose=PURPOSE,
            object_type="linkage_judgement",
            object_id=judgement.pk,
            detail={"soft_delete": True},
        )


def load_records(keys) -> dict[str, object]:
    """Record key -> Person/Company object."""
    ids: dict[str, list[int]] = {EntityType.PERSON: [], EntityType.COMPANY: []}
    for key in keys:
        kind, pk = parse_record_key(key)
        ids.setdefault(kind, []).append(pk)
    out: dict[str, object] = {}
    for p in Person.objects.filter(pk__in=ids[EntityType.PERSON]).select_related(
        "residence", "source"
    ):
        out[record_key(EntityType.PERSON, p.pk)] = p
    for c in Company.objects.filter(pk__in=ids[EntityType.COMPANY]).select_related(
        "establishment", "source"
    ):
        out[record_key(EntityType.COMPANY, c.pk)] = c
    return out


# --- an entity: records, network, timeline ---------------------------------------------------


def entity_type_of(entity_id: str) -> str:
    return EntityType.COMPANY if entity_id.startswith("org-") else EntityType.PERSON


def current_entity_ids(entity: str) -> dict[tuple[str, int], str]:
    run = latest_run(entity)
    if run is None:
        return {}
    return {(a.record_type, a.record_id): a.entity_id for a in run.assignments.all()}


def entity_records(entity_id: str) -> list:
    """The Person or Company records of an entity in the latest run (empty if unknown)."""
    entity = entity_type_of(entity_id)
    run = latest_run(entity)
    if run is None:
        return []
    pks = list(run.assignments.filter(entity_id=entity_id).values_list("record_id", flat=True))
    model = Person if entity == EntityType.PERSON else Company
    return list(
        model.objects.filter(pk__in=pks)
        .select_related(
            "source", *(["residence"] if entity == EntityType.PERSON else ["establishment"])
        )
        .order_by("pk")
    )


@dataclass
class Network:
    """Nodes (key -> dict with kind, obj, entity_id) and edges (a, b, label)."""

    centre: str
    nodes: dict[str, dict] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, key: str, kind: str, obj, entity_id: str = "") -> str:
        self.nodes.setdefault(key, {"key": key, "kind": kind, "obj": obj, "entity_id": entity_id})
        return key

    def link(self, a: str, b: str, label: str) -> None:
        if a != b and not any({a, b} == {x, y} and label == z for x, y, z in self.edges):
            self.edges.append((a, b, label))


def entity_network(  # noqa: C901 - one walk of the network, step by step
    entity_id: str,
    records: list,
    max_nodes: int = 60,
    person_details: bool = True,
    show_residence=lambda person: True,
) -> Network:
    """Companies at the same address, officers of companies, other premises of the same
    officers. Persons and companies are merged by their current entity ids. Without
    ``person_details`` (users who may not look at persons as such) the officers stay facts about
    the companies: no residences and no other companies of those officers. A person's home is
    shown only where ``show_residence(person)`` (their identity is shown: an address next to a
    pseudonym would undo the pseudonym)."""
    person_ids = current_entity_ids(EntityType.PERSON)
    company_ids = current_entity_ids(EntityType.COMPANY)
    net = Network(centre=entity_id)

    def person_node(p: Person) -> str:
        eid = person_ids.get((EntityType.PERSON, p.pk), "")
        return net.add(eid or f"person-{p.pk}", "person", p, eid)

    def company_node(c: Company) -> str:
        eid = company_ids.get((EntityType.COMPANY, c.pk), "")
        return net.add(eid or f"company-{c.pk}", "company", c, eid)

    def premises_node(pr: Premises) -> str:
        return net.add(f"premises-{pr.pk}", "premises", pr)

    net.add(entity_id, entity_type_of(entity_id), records[0] if records else None, entity_id)
    if entity_type_of(entity_id) == EntityType.PERSON:
        officers = list(
            Officer.objects.filter(person__in=records).select_related(
                "company__establishment", "person"
            )
        )
        companies = {o.company_id: o.company for o in officers}
        for p in records:
            if p.residence_id and show_residence(p):
                net.link(entity_id, premises_node(p.residence), gettext_noop("woont op"))
        for o in officers:
            net.link(entity_id, company_node(o.company), o.role)
    else:
        companies = {c.pk: c for c in records}
    # the companies' establishments and other companies at the same address
    premises = {c.establishment_id: c.establishment for c in companies.values()}
    for c in companies.values():
        net.link(company_node(c), premises_node(c.establishment), gettext_noop("gevestigd op"))
    for other in (
        Company.objects.filter(establishment__in=premises)
        .exclude(pk__in=companies)
        .select_related("establishment")[:max_nodes]
    ):
        net.link(
            company_node(other), premises_node(other.establishment), gettext_noop("gevestigd op")
        )
    # officers of the companies and the other premises of those officers
    officer_rows = list(
        Officer.objects.filter(company__in=companies).select_related("person__residence", "company")
    )
    officer_persons = {o.person_id: o.person for o in officer_rows}
    for o in officer_rows:
        net.link(person_node(o.person), company_node(o.company), o.role)
    if not person_details:
        return net
    for o in (
        Officer.objects.filter(person__in=officer_persons)
        .exclude(company__in=companies)
        .select_related("company__establishment", "person")[:max_nodes]
    ):
        if len(net.nodes) >= max_nodes:
            break
        net.link(person_node(o.person), company_node(o.company), o.role)
        net.link(
            company_node(o.company),
            premises_node(o.company.establishment),
            gettext_noop("gevestigd op"),
        )
    for p in officer_persons.values():
        if p.residence_id and len(net.nodes) < max_nodes and show_residence(p):
            net.link(person_node(p), premises_node(p.residence), gettext_noop("woont op"))
    return net


def entity_timeline(records: list) -> list[dict]:
    """Dated facts of an entity's records, oldest first."""
    events = []
    for r in records:
        events.append(
            {
                "date": r.received_on,
                "what": gettext_noop("ontvangen van bron"),
                "source": r.source.name,
                "record": r,
            }
        )
        if isinstance(r, Company):
            events.append(
                {
                    "date": r.registered_on,
                    "what": gettext_noop("ingeschreven in het Handelsregister"),
                    "source": r.source.name,
                    "record": r,
                }
            )
    officers = Officer.objects.filter(
        **(
            {"person__in": records}
            if records and isinstance(records[0], Person)
            else {"company__in": records}
        )
    ).select_related("company", "person", "source")
    for o in officers:
        events.append(
            {
                "date": o.since,
                "what": f"{o.role} sinds",
                "source": o.source.name,
                "record": o,
                "officer": o,
            }
        )
    return sorted((e for e in events if e["date"]), key=lambda e: (e["date"], e["what"]))


# --- entity search -----------------------------------------------------------------------------

KVK_RE = re.compile(r"^\d{8}$")
POSTCODE_RE = re.compile(
    r"^(\d{4})\s?([A-Za-z]{2})(?:[\s,]+(\d{1,5})\s*-?\s*([A-Za-z])?(?:[\s-]+(\S{1,4}))?)?$"
)
PSEUDONYM_RE = re.compile(r"^[Pp]-[0-9A-Za-z]{4,}$")
MAX_MATCHES = 500


@dataclass
class SearchQuery:
    """What a search box text means: a KvK number, a postcode (+ house number), a pseudonym
    or else a name."""

    text: str
    how: str  # kvk, address, pseudonym, name
    kvk: str = ""
    postcode: str = ""
    house_number: int | None = None
    house_letter: str = ""
    addition: str = ""


def parse_query(text: str) -> SearchQuery | None:
    text = " ".join((text or "").split())[:100]
    if len(text) < 2:
        return None
    if KVK_RE.match(text):
        return SearchQuery(text, "kvk", kvk=text)
    m = POSTCODE_RE.match(text)
    if m:
        return SearchQuery(
            text,
            "address",
            postcode=(m[1] + m[2]).upper(),
            house_number=int(m[3]) if m[3] else None,
            house_letter=(m[4] or "").upper(),
            addition=(m[5] or "").upper(),
        )
    if PSEUDONYM_RE.match(text):
        return SearchQuery(text, "pseudonym")
    return SearchQuery(text, "name")


def _premises_of(query: SearchQuery):
    qs = Premises.objects.filter(postcode=query.postcode)
    if query.house_number is not None:
        qs = qs.filter(house_number=query.house_number)
    if query.house_letter:
        qs = qs.filter(house_letter__iexact=query.house_letter)
    if query.addition:
        qs = qs.filter(house_number_addition__iexact=query.addition)
    return qs


def search_records(
    query: SearchQuery, *, kind: str = "", name_persons=None, birth_year: int | None = None
):
    """Matching Company and Person records, as (record, how it matched) pairs.

    Persons are matched on their pseudonym; on name, address and birth year only within
    ``name_persons``: the persons whose identity the user may see (the caller decides, by the
    reveal rules). With a birth year, only those persons are searched at all, so a result never
    tells anything about a pseudonymised person's birth date or address."""
    from django.db.models import Q, Value
    from django.db.models.functions import Concat

    out: list[tuple[object, str]] = []
    if kind in ("", EntityType.COMPANY) and birth_year is None:
        companies = Company.objects.select_related("establishment")
        if query.how == "kvk":
            companies, how = companies.filter(kvk_number=query.kvk), "kvk"
        elif query.how == "address":
            companies, how = companies.filter(establishment__in=_premises_of(query)), "address"
        elif query.how == "name":
            companies, how = (
                companies.filter(
                    Q(name__icontains=query.text) | Q(trade_name__icontains=query.text)
                ),
                "name",
            )
        else:
            companies, how = companies.none(), ""
        out += [(c, how) for c in companies.order_by("name", "pk")[:MAX_MATCHES]]
    if kind in ("", EntityType.PERSON):
        persons = Person.objects.filter(anonymised=False).select_related("residence")
        if name_persons is None:
            name_persons = persons.none()
        matched = persons.none()
        how = ""
        if query.how == "pseudonym" and birth_year is None:
            matched, how = persons.filter(pseudonym__iexact=query.text), "pseudonym"
        elif query.how == "pseudonym":
            matched, how = name_persons.filter(pseudonym__iexact=query.text), "pseudonym"
        elif query.how == "address":
            matched, how = name_persons.filter(residence__in=_premises_of(query)), "address"
        elif query.how == "name":
            words = query.text.split()
            full = Concat("given_names", Value(" "), "surname_prefix", Value(" "), "surname")
            matched = name_persons.annotate(search_name=full)
            for word in words:
                matched = matched.filter(search_name__icontains=word)
            how = "name"
        if birth_year is not None:
            matched = matched.filter(birth_date__year=birth_year)
        out += [(p, how) for p in matched.order_by("pseudonym")[:MAX_MATCHES]]
    return out


def entities_of_records(records) -> list[dict]:
    """Group matched records by their entity in the latest run; a record not linked yet is
    its own result (no entity id). Keeps the order of first appearance."""
    from django.db.models import Count

    by_type: dict[str, list[int]] = {}
    for obj, _how in records:
        by_type.setdefault(
            EntityType.PERSON if isinstance(obj, Person) else EntityType.COMPANY, []
        ).append(obj.pk)
    entity_of: dict[tuple[str, int], str] = {}
    sizes: dict[str, int] = {}
    for entity, pks in by_type.items():
        run = latest_run(entity)
        if run is None:
            continue
        rows = EntityAssignment.objects.filter(run=run, record_type=entity, record_id__in=pks)
        found = {(entity, r.record_id): r.entity_id for r in rows}
        entity_of.update(found)
        ids = set(found.values())
        sizes.update(
            {
                row["entity_id"]: row["n"]
                for row in run.assignments.filter(entity_id__in=ids)
                .values("entity_id")
                .annotate(n=Count("id"))
            }
        )
    results: dict[str, dict] = {}
    for obj, how in records:
        kind = EntityType.PERSON if isinstance(obj, Person) else EntityType.COMPANY
        eid = entity_of.get((kind, obj.pk), "")
        group = results.setdefault(
            eid or record_key(kind, obj.pk),
            {"entity_id": eid, "kind": kind, "records": [], "how": [], "size": sizes.get(eid, 1)},
        )
        group["records"].append(obj)
        if how not in group["how"]:
            group["how"].append(how)
    return list(results.values())


# --- FollowTheMoney export --------------------------------------------------------------


def ftm_available() -> bool:
    return importlib.util.find_spec("followthemoney") is not None


FTM_MISSING = (
    "De FollowTheMoney-export is op deze installatie niet beschikbaar: het pakket 'followthemoney' "
    "(met PyICU) is niet geïnstalleerd. Installeer het met 'pip install followthemoney' "
    "(vereist libicu-dev, pkg-config en g++)."
)


def _with_entity_ids(table: pd.DataFrame, entity_of: dict[str, str]) -> pd.DataFrame:
    table = table.copy()
    table["record_id"] = table["id"]
    table["entity_id"] = [entity_of.get(k, k) for k in table["id"]]
    return table


def ftm_export(user, reason: str) -> tuple[str, int]:
    """The entity graph (Person, Company, Address, Directorship; residence via addressEntity)
    as FtM JSON lines. Audited as an export with its purpose."""
    from doorbraak_analysis import linkage as lk

    person_of = assignments_of(latest_run(EntityType.PERSON))
    company_of = assignments_of(latest_run(EntityType.COMPANY))
    persons = _with_entity_ids(person_table(), person_of)
    companies = _with_entity_ids(company_table(), company_of)
    entity_of = {
        **{k: v for k, v in zip(persons["id"], persons["entity_id"], strict=True)},
        **{k: v for k, v in zip(companies["id"], companies["entity_id"], strict=True)},
    }
    known = set(entity_of)
    relations = []
    for o in Officer.objects.select_related("source").order_by("pk"):
        subject, obj = (
            record_key(EntityType.PERSON, o.person_id),
            record_key(EntityType.COMPANY, o.company_id),
        )
        if subject in known and obj in known:
            relations.append(
                lk.Relation(
                    "directorship",
                    subject,
                    obj,
                    role=o.role,
                    start_date=o.since.isoformat(),
                    source=o.source.name,
                )
            )
    out = io.StringIO()
    count = lk.export_ftm(
        out,
        persons=persons.drop(columns=["id"]),
        companies=companies.drop(columns=["id"]),
        relations=relations,
        entity_of=entity_of,
    )
    audit.record(
        AuditAction.EXPORT,
        user=user,
        purpose=PURPOSE,
        object_type="ftm_export",
        object_id=f"{count} entiteiten",
        categories=["identity", "premises"],
        detail={
            "reason": reason,
            "entities": count,
            "persons": len(persons),
            "companies": len(companies),
            "directorships": len(relations),
        },
    )
    return out.getvalue(), count


def fmt_probability(p: float) -> str:
    return "—" if p is None or (isinstance(p, float) and math.isnan(p)) else f"{p:.0%}"


def today() -> date:
    return timezone.localdate()
