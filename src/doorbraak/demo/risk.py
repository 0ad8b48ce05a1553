"""The demo city's risk picture: register facts the indicators read (permits, closures, buy-in
registrations) and three clusters in the focus areas, then two risk runs.

EVERYTHING HERE IS SYNTHETIC. The clusters are made of the city's own companies and premises
(no extra companies, so the city keeps its size), dated back from the build day:

- *shells at one address* (Nieuw Overvecht): holdings and staffing agencies registered in the
  last two and a half years, moved to one office building, one straw man director of all of them
  and a second one of three;
- *a car business chain with fast-changing officers* (Nieuw Overvecht): four car businesses whose
  directors come and go every few months, drawn from the same small pool of people;
- *a closed premises reopening under a new name* (Amsterdamsestraatweg): a lounge closed under
  Opiumwet 13b two years ago; since then three short-lived horeca businesses followed each other
  there, and a new one opened two months ago without an exploitation permit.

Around them the city gets what a real municipality has: an exploitation permit for almost every
horeca business (a few lapsed, a few missing), a handful of earlier closures, and buy-in
registrations of the second-hand and phone shops and jewellers, of which the DOR flags a few.
Then a run as of three months ago and one as of today, so "changed since the previous run"
means something. Deterministic: one ``random.Random`` from the seed, objects in key order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from doorbraak.registers.models import Company, Officer, Person, Premises, RegisterEntry

from . import reference as ref
from .generator import KVK_OFFICERS_FILE, KVK_RECEIVED
from .geography import AREA_AMSTERDAMSESTRAATWEG, AREA_NIEUW_OVERVECHT

PERMITS_FILE = "vergunningen.csv"
CLOSURES_FILE = "sluitingen.csv"
DOR_FILE = "dor-registraties.csv"
HORECA = ("56", "5630")
SHELL_SBI = ("6420", "7820", "6810", "6820", "6619", "7022", "6920")
CAR_SBI = ("4511", "7711", "45201", "4520", "4532")
FIVE_DIGIT_SBI = {"4511": "45111", "7711": "77111", "4520": "45204"}
DOR_SBI = ("4777", "4779", "4742")
EARLIER_RUN_DAYS = 91


@dataclass
class DemoRiskSummary:
    permits: int = 0
    closures: int = 0
    dor: int = 0
    clusters: dict = field(default_factory=dict)
    runs: list = field(default_factory=list)


def _months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    return date(y, m + 1, min(d.day, 28))


class _Builder:
    def __init__(self, city, seed: int):
        self.city = city
        self.today = city.today
        self.rng = random.Random(seed * 104729 + 12)
        self.row = {PERMITS_FILE: 0, CLOSURES_FILE: 0, DOR_FILE: 0}
        self.entries: list[RegisterEntry] = []
        self.summary = DemoRiskSummary()

    def entry(self, code: str, file: str, kind: str, **values) -> RegisterEntry:
        self.row[file] += 1
        e = RegisterEntry(
            source=self.city.sources[code],
            source_file=file,
            source_row=self.row[file],
            received_on=self.today - timedelta(days=20),
            kind=kind,
            **values,
        )
        self.entries.append(e)
        return e

    def person(self) -> Person:
        """A director known only from the trade register's officers extract (no BSN)."""
        p = self.city._person(
            born_from=self.city.d(1965, 1, 1), born_to=self.city.d(1999, 12, 31), bsn=False
        )
        for k, v in self.city._source(ref.SOURCE_KVK, KVK_OFFICERS_FILE, KVK_RECEIVED).items():
            setattr(p, k, v)
        p.save()
        return p

    def officer(self, company: Company, person: Person, since: date, until: date | None):
        return Officer(
            company=company,
            person=person,
            role="bestuurder",
            since=since,
            until=until,
            **self.city._source(ref.SOURCE_KVK, KVK_OFFICERS_FILE, KVK_RECEIVED),
        )

    # the three clusters ----------------------------------------------------------------

    def shells(self) -> None:
        rng = self.rng
        pool = list(
            Company.objects.filter(
                establishment__area=AREA_NIEUW_OVERVECHT, sbi_code__in=SHELL_SBI
            ).order_by("kvk_number")
        )
        hubs = list(
            Premises.objects.filter(area=AREA_NIEUW_OVERVECHT, use="kantoorfunctie").order_by(
                "bag_id"
            )
        )
        if len(pool) < 4 or not hubs:
            return
        chosen = rng.sample(pool, min(7, len(pool)))
        hub = rng.choice(hubs)
        straw, second = self.person(), self.person()
        officers = []
        for n, c in enumerate(chosen):
            c.establishment = hub
            c.registered_on = self.today - timedelta(days=rng.randint(60, 900))
            c.deregistered_on = None
            officers.append(self.officer(c, straw, c.registered_on, None))
            if n < 3:
                officers.append(self.officer(c, second, c.registered_on + timedelta(days=30), None))
        Company.objects.bulk_update(chosen, ["establishment", "registered_on", "deregistered_on"])
        Officer.objects.filter(company__in=chosen).delete()  # the straw men replace them
        Officer.objects.bulk_create(officers)
        self.summary.clusters["shells"] = {"premises": hub.bag_id, "companies": len(chosen)}

    def car_chain(self) -> None:
        """Four car businesses whose directors come and go every few months, from one small
        pool of people; today one man directs all four (and a fifth car business): a straw man."""
        rng = self.rng
        pool = list(
            Company.objects.filter(
                establishment__area=AREA_NIEUW_OVERVECHT, sbi_code__in=CAR_SBI
            ).order_by("kvk_number")
        )
        if len(pool) < 5:
            return
        chain = rng.sample(pool, 5)
        people = [self.person() for _ in range(4)]
        straw = self.person()
        Officer.objects.filter(company__in=chain).delete()
        officers = []
        for c in chain:
            # the trade register holds the five-digit SBI code (the demo's sectors four)
            c.sbi_code = FIVE_DIGIT_SBI.get(c.sbi_code, c.sbi_code)
            c.registered_on = self.today - timedelta(days=rng.randint(700, 1000))
            start = self.today - timedelta(days=rng.randint(600, 690))
            if c is not chain[-1]:
                for p in rng.sample(people, 3):
                    until = start + timedelta(days=rng.randint(110, 170))
                    officers.append(self.officer(c, p, start, until))
                    start = until
            officers.append(self.officer(c, straw, start, None))
        Company.objects.bulk_update(chain, ["registered_on", "sbi_code"])
        Officer.objects.bulk_create(officers)
        self.summary.clusters["car_chain"] = [c.kvk_number for c in chain[:4]]

    def reopened(self) -> None:
        rng = self.rng
        horeca = list(
            Company.objects.filter(establishment__area=AREA_AMSTERDAMSESTRAATWEG)
            .filter(sbi_code__startswith="56")
            .order_by("kvk_number")
        )
        if len(horeca) < 4:
            return
        firms = rng.sample(horeca, 4)
        place = firms[-1].establishment
        t = self.today
        spans = [(35, 27), (25, 16), (15, 6)]
        for c, (born, gone) in zip(firms, spans, strict=False):
            c.establishment = place
            c.registered_on = _months(t, born)
            c.deregistered_on = _months(t, gone)
        newest = firms[-1]
        newest.registered_on = t - timedelta(days=60)
        newest.deregistered_on = None
        Company.objects.bulk_update(firms, ["establishment", "registered_on", "deregistered_on"])
        for c in firms:  # their officers served while the business existed
            Officer.objects.filter(company=c).update(since=c.registered_on, until=c.deregistered_on)
        self.no_permit = {newest.pk}
        closed_on = _months(t, 27) - timedelta(days=10)
        self.entry(
            ref.SOURCE_CLOSURES,
            CLOSURES_FILE,
            "closure",
            key=f"13B-{closed_on.year}-{rng.randint(10, 99):03d}",
            occurred_on=closed_on,
            ends_on=closed_on + timedelta(days=182),
            description="Opiumwet art. 13b (lokaal): sluiting 6 maanden",
            premises=place,
            company=firms[0],
            data={"duration_months": 6, "object_type": "lokaal"},
        )
        self.summary.clusters["reopened"] = {"premises": place.bag_id, "new": newest.kvk_number}

    # what every municipality has -----------------------------------------------------------

    def permits(self) -> None:
        rng = self.rng
        skip = getattr(self, "no_permit", set())
        n = 0
        for c in (
            Company.objects.filter(sbi_code__startswith="56", deregistered_on__isnull=True)
            .select_related("establishment")
            .order_by("kvk_number")
        ):
            roll = rng.random()
            if c.pk in skip or roll < 0.04:
                continue  # no permit at all
            granted = max(c.registered_on, self.today - timedelta(days=9 * 365)) + timedelta(
                days=rng.randint(10, 60)
            )
            ends = granted + timedelta(days=5 * 365)
            if roll < 0.08:
                ends = self.today - timedelta(days=rng.randint(20, 400))  # lapsed
                granted = ends - timedelta(days=5 * 365)
            elif ends < self.today:
                granted = self.today - timedelta(days=rng.randint(30, 4 * 365))
                ends = granted + timedelta(days=5 * 365)
            n += 1
            self.entry(
                ref.SOURCE_PERMITS,
                PERMITS_FILE,
                "permit",
                key=f"EXP-{granted.year}-{n:05d}",
                occurred_on=granted,
                ends_on=ends,
                description="Exploitatievergunning horeca (APV art. 2:28) en Alcoholwet",
                premises=c.establishment,
                company=c,
                data={"status": "verleend"},
            )
        self.summary.permits = n

    def closures(self) -> None:
        rng = self.rng
        candidates = list(
            Premises.objects.filter(companies__isnull=False).distinct().order_by("bag_id")
        )
        focus = [p for p in candidates if p.area]
        chosen = rng.sample(focus, min(4, len(focus))) + rng.sample(
            candidates, min(2, len(candidates))
        )
        for n, p in enumerate(chosen, 1):
            on = self.today - timedelta(days=rng.randint(200, 6 * 365))
            months = rng.choice((3, 3, 6, 12))
            basis = rng.choice(
                (
                    "Opiumwet art. 13b (lokaal)",
                    "Opiumwet art. 13b (woning)",
                    "Gemeentewet art. 174a",
                    "APV Utrecht art. 2:30 (horeca)",
                )
            )
            self.entry(
                ref.SOURCE_CLOSURES,
                CLOSURES_FILE,
                "closure",
                key=f"SL-{on.year}-{n:03d}",
                occurred_on=on,
                ends_on=on + timedelta(days=30 * months),
                description=f"{basis}: sluiting {months} maanden",
                premises=p,
                data={
                    "duration_months": months,
                    "object_type": "woning" if "woning" in basis else "lokaal",
                },
            )
        self.summary.closures = len(chosen) + (1 if "reopened" in self.summary.clusters else 0)

    def dor(self) -> None:
        rng = self.rng
        n = 0
        goods = ("gouden ring", "horloge", "smartphone", "laptop", "e-bike", "tablet", "ketting")
        for c in (
            Company.objects.filter(sbi_code__in=DOR_SBI, deregistered_on__isnull=True)
            .select_related("establishment")
            .order_by("kvk_number")
        ):
            for _ in range(rng.randint(2, 9)):
                n += 1
                on = self.today - timedelta(days=rng.randint(1, 700))
                self.entry(
                    ref.SOURCE_DOR,
                    DOR_FILE,
                    "dor",
                    key=f"DOR-{on.year}-{n:06d}",
                    occurred_on=on,
                    description=rng.choice(goods),
                    premises=c.establishment,
                    company=c,
                    data={
                        "category": "inkoop",
                        "price_eur": round(rng.uniform(15, 900), 2),
                        "flag": "ja" if rng.random() < 0.025 else "nee",
                    },
                )
        self.summary.dor = n


def build_demo_risk(city, seed: int) -> DemoRiskSummary:
    """Register facts and clusters (in one transaction), then the two runs."""
    from django.db import transaction

    b = _Builder(city, seed)
    with transaction.atomic():
        b.shells()
        b.car_chain()
        b.reopened()
        b.permits()
        b.closures()
        b.dor()
        RegisterEntry.objects.bulk_create(b.entries, batch_size=500)
    b.summary.runs = run_demo_risk(city.today)
    return b.summary


def run_demo_risk(today: date) -> list:
    """A run as of three months ago, then one as of today (both over today's registers)."""
    from doorbraak.risk import actions

    earlier = actions.start_run(
        requested_by="demo", as_of=today - timedelta(days=EARLIER_RUN_DAYS), now=True
    )
    latest = actions.start_run(requested_by="demo", as_of=today, now=True)
    return [earlier, latest]
