"""Web load benchmark: 20 people working at once against the production application server.

    python benchmarks/web_load.py                      # PostgreSQL (100,000 persons, 10,000 cases), then the SQLite demo
    python benchmarks/web_load.py --backend postgres --database-url postgres://postgres@127.0.0.1:5432/doorbraak_webload
    python benchmarks/web_load.py --backend sqlite --duration 30

What it does, per database (each step a subprocess, so both databases run in one go):

1. prepare: migrate; build the demo city (SQLite: the demo as `make demo` builds it, afresh in
   var/webload/sqlite; PostgreSQL: in the benchmark's own database, created if missing, never
   dropped, reused when it already holds the benchmark's data) and, on PostgreSQL, top it up with bulk inserts to 100,000 persons and
   10,000 cases; create 20 benchmark accounts (case directors, partner professionals of five
   partners, analysts) with a password and a TOTP device.
2. audit_rate: the raw audit write rate with 20 threads for a few seconds, before (the old
   protocol: every write takes the chain head's row lock, chains itself and moves the head) and
   after (the new one: a plain insert, chained after commit by the single sequencer).
3. serve: `doorbraak serve` (gunicorn, threaded workers, static files collected) on 127.0.0.1
   with production settings (DEBUG off); its log goes to var/webload/<database>/serve.log.
4. load: 20 users log in through the login page (password + TOTP code), then each works on its
   usual pages and API calls (case list and case dossiers; analysts on pseudonymised persons,
   companies and premises), pausing 0.2-1 s between clicks (--think-min/--think-max; 0 for a
   closed loop at full speed), until --duration seconds
   or --max-requests requests have passed. Every request carries its own X-Request-ID.
5. check: the audit chain as the requests' own sequencer left it (entries not yet chained are
   counted), then `verify_audit` (chains what is left, verifies every hash and link), and every
   audited request's read looked up by its request id: present and chained.

Loopback only; bounded in requests and time; the server is stopped at the end whatever happens.
The last line per database, and a final one for the run:

    RESULT users=20 requests=… errors=… p95_ms=… audit_writes_per_s=…

(audit_writes_per_s is the raw audit write rate after the change; the web run's own audited reads
per second are printed above it.)
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BENCH_PASSWORD = "Webload-benchmark-2026"  # noqa: S105 (benchmark accounts in the benchmark's own database)
TOTP_STEP = 30
USERS_BY_ROLE = {"case_director": 7, "partner_professional": 7, "analyst": 6}
PARTNER_ORGS = [
    "politie-mn",
    "buurtteams-utrecht",
    "roc-midden-nederland",
    "jou-jongerenwerk",
    "reclassering-nederland",
]
ORG_CATEGORY = {
    "politie-mn": "justice",
    "buurtteams-utrecht": "care",
    "roc-midden-nederland": "education",
    "jou-jongerenwerk": "contact",
    "reclassering-nederland": "justice",
    "gemeente-oov": "care",
}


def bench_totp_key(username: str) -> str:
    return hashlib.sha1(
        f"doorbraak-webload-totp:{username}".encode(), usedforsecurity=False
    ).hexdigest()


def totp_code(hex_key: str, now: float | None = None) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), as django-otp's TOTP devices check it."""
    counter = int((time.time() if now is None else now) // TOTP_STEP)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


# ====================================================================== Django-side phases


def _django(env_overrides: dict) -> None:
    os.environ.update(env_overrides)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorbraak.settings")
    import django

    django.setup()


def phase_prepare(args: dict) -> dict:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    from doorbraak.demo.generator import has_demo_data

    if not has_demo_data():
        from doorbraak.registers.models import Premises

        if Premises.objects.exists():
            raise SystemExit(
                f"{connection.settings_dict['NAME']} holds data that is not the demo city: "
                "give the benchmark a database of its own (--database-url)"
            )
        extra = [] if args["registers"] else ["--no-registers"]
        call_command("demo_city", *extra, stdout=open(os.devnull, "w"))  # noqa: SIM115
    built = time.perf_counter() - started
    accounts = _bench_accounts()
    _top_up(args["persons"], args["cases"], accounts)
    plan = _plan(accounts)
    from doorbraak.careers.models import Case
    from doorbraak.registers.models import Person

    return {
        "persons": Person.objects.count(),
        "cases": Case.objects.count(),
        "vendor": connection.vendor,
        "build_seconds": round(built, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "plan": plan,
    }


def _bench_accounts() -> list:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from doorbraak.partners.models import Organisation, User

    orgs = {o.code: o for o in Organisation.objects.all()}
    password = make_password(BENCH_PASSWORD)
    users = []
    with transaction.atomic():
        for role, n in USERS_BY_ROLE.items():
            for i in range(n):
                if role == "case_director":
                    org = "gemeente-oov"
                elif role == "partner_professional":
                    org = PARTNER_ORGS[i % len(PARTNER_ORGS)]
                else:
                    org = "riec-mn"
                username = f"webload-{role.replace('_', '-')}-{i + 1:02d}"
                user, _ = User.objects.update_or_create(
                    username=username,
                    defaults={
                        "role": role,
                        "organisation": orgs[org],
                        "first_name": "Belasting",
                        "last_name": f"Test {i + 1}",
                        "email": f"{username}@webload.invalid",
                        "is_active": True,
                        "password": password,
                    },
                )
                # last_t reset: a rerun within the same 30 s may use the same code again.
                TOTPDevice.objects.update_or_create(
                    user=user,
                    name="webload",
                    defaults={
                        "key": bench_totp_key(username),
                        "confirmed": True,
                        "step": TOTP_STEP,
                        "last_t": -1,
                    },
                )
                users.append(user)
    return users


def _top_up(n_persons: int, n_cases: int, accounts: list) -> None:
    """Bulk-insert synthetic persons and cases up to the targets (PostgreSQL run)."""
    from datetime import date, timedelta

    from django.db import transaction

    from doorbraak.careers.models import Case, CaseParticipant, CaseRecord
    from doorbraak.demo import generator as g
    from doorbraak.demo import reference as ref
    from doorbraak.partners.models import Organisation
    from doorbraak.privacy.models import ProcessingActivity
    from doorbraak.registers.models import Person, Premises

    rng = random.Random(20261201)
    have = Person.objects.count()
    homes = list(Premises.objects.filter(use="woonfunctie").values_list("pk", flat=True)) or [None]
    brp = ProcessingActivity.objects.get(code=ref.SOURCE_BRP)
    surnames = [s for s in g.EXTRA_SURNAMES] + [
        "Jansen",
        "de Vries",
        "van den Berg",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
        "de Groot",
        "Bos",
        "Vos",
        "Peters",
    ]
    first = (
        g.FIRST_NAMES["m"]
        + g.FIRST_NAMES["f"]
        + g.EXTRA_FIRST_NAMES["m"]
        + g.EXTRA_FIRST_NAMES["f"]
    )
    new_persons = []
    for i in range(have, n_persons):
        prefix, _, surname = surnames[rng.randrange(len(surnames))].rpartition(" ")
        new_persons.append(
            Person(
                pseudonym=f"P-WL{i:08d}",
                given_names=rng.choice(first),
                surname_prefix=prefix,
                surname=surname,
                birth_date=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 58)),
                residence_id=rng.choice(homes),
                source=brp,
                source_file="webload-synthetisch.csv",
                source_row=i,
                received_on=date(2026, 11, 1),
            )
        )
    with transaction.atomic():
        Person.objects.bulk_create(new_persons, batch_size=5000)
    have_cases = Case.objects.count()
    if have_cases >= n_cases:
        return
    # A case director carries about 40 cases: the benchmark's own directors and colleagues.
    directors = [u for u in accounts if u.role == "case_director"] + _colleague_directors(
        n_cases // 40
    )
    orgs = {
        o.code: o for o in Organisation.objects.filter(code__in=[*PARTNER_ORGS, "gemeente-oov"])
    }
    case_type = ProcessingActivity.objects.get(code=ref.CASE_TYPE_INDIVIDUAL)
    subjects = list(
        Person.objects.filter(
            source_file="webload-synthetisch.csv", cases__isnull=True
        ).values_list("pk", flat=True)[: n_cases - have_cases]
    )
    cases, participants, records = [], [], []
    for i, subject in enumerate(subjects):
        opened = date(2024, 1, 15) + timedelta(days=rng.randrange(640))
        closed = opened + timedelta(days=300) if rng.random() < 0.2 else None
        case = Case(
            reference=f"WL-{opened.year}-{have_cases + i:05d}",
            case_type=case_type,
            subject_id=subject,
            director=directors[i % len(directors)],
            status="closed" if closed else "open",
            opened_on=opened,
            closed_on=closed,
            summary="Synthetische casus voor de belastingtest.",
        )
        cases.append(case)
        for code in ["gemeente-oov", *rng.sample(PARTNER_ORGS, rng.randint(1, 3))]:
            participants.append(CaseParticipant(case=case, organisation=orgs[code], since=opened))
            records.append(
                CaseRecord(
                    case=case,
                    category=ORG_CATEGORY[code],
                    organisation=orgs[code],
                    occurred_on=opened + timedelta(days=rng.randrange(60)),
                    title="Overleg",
                    text="Synthetische aantekening.",
                )
            )
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=2000)
        for obj in participants + records:
            obj.case_id = obj.case.pk
        CaseParticipant.objects.bulk_create(participants, batch_size=5000)
        CaseRecord.objects.bulk_create(records, batch_size=5000)


def _colleague_directors(n: int) -> list:
    """Case directors who do not log in during the run (no password, no second factor)."""
    from django.contrib.auth.hashers import make_password

    from doorbraak.partners.models import Organisation, User

    oov = Organisation.objects.get(code="gemeente-oov")
    have = {u.username: u for u in User.objects.filter(username__startswith="webload-collega-")}
    new = [
        User(
            username=f"webload-collega-{i:03d}",
            role="case_director",
            organisation=oov,
            first_name="Collega",
            last_name=f"Regisseur {i}",
            password=make_password(None),
        )
        for i in range(n)
        if f"webload-collega-{i:03d}" not in have
    ]
    User.objects.bulk_create(new)
    return list(
        User.objects.filter(username__startswith="webload-collega-").order_by("username")[:n]
    )


def _plan(accounts: list) -> list[dict]:
    """Per user: the ids of what they work on (what their role and organisation may see)."""
    from doorbraak import policy
    from doorbraak.registers.models import Company, Person, Premises

    rng = random.Random(7)
    persons = list(Person.objects.order_by("?").values_list("pk", flat=True)[:400])
    companies = list(
        Company.objects.filter(officers__isnull=False)
        .distinct()
        .order_by("?")
        .values_list("pk", flat=True)[:300]
    )
    premises = list(Premises.objects.order_by("?").values_list("pk", flat=True)[:300])
    plan = []
    for user in accounts:
        entry = {"username": user.username, "role": user.role, "key": bench_totp_key(user.username)}
        if user.role in ("case_director", "partner_professional"):
            user.is_verified = lambda: True  # policy's check of the second factor, as after login
            cases = policy.visible_cases(user).filter(status="open")
            own = cases.filter(director=user)
            if user.role == "case_director" and own.exists():
                cases = own  # a director works on their own cases (the demo's are all the demo director's)
            ids = list(cases.values_list("pk", flat=True)[:2000])
            if not ids:
                raise SystemExit(f"{user.username} sees no open case: nothing to work on")
            entry["cases"] = rng.sample(ids, min(len(ids), 200))
        else:
            entry.update(persons=persons, companies=companies, premises=premises)
        plan.append(entry)
    return plan


def phase_audit_rate(args: dict) -> dict:
    """Raw audit writes per second from 20 threads: before (global chain lock) and after."""
    from django.db import connection, transaction
    from django.utils import timezone

    from doorbraak.audit import services as audit
    from doorbraak.audit.models import AuditEntry, ChainHead
    from doorbraak.partners.models import User

    user = (
        User.objects.filter(username__startswith="webload-analyst")
        .select_related("organisation")
        .first()
    )
    audit.chain_pending(wait=True)

    def legacy_record(i):
        # The protocol before this change (services.record until issue 9): lock the chain head,
        # chain the entry while holding it, move the head, commit.
        with transaction.atomic():
            head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
            entry = AuditEntry(
                occurred_at=timezone.now(),
                action="read",
                object_type="person",
                object_id=str(i),
                purpose="risicoanalyse",
                username=user.username,
                organisation=user.organisation.code,
                role=user.role,
                data_categories="identity",
                request_id=f"rate-before-{i}",
                chain_seq=head.last_seq + 1,
                prev_hash=head.last_hash,
            )
            entry.entry_hash = entry.compute_hash()
            entry.save()
            ChainHead.objects.filter(pk=1).update(
                last_hash=entry.entry_hash, last_seq=entry.chain_seq, last_entry_id=entry.pk
            )

    def new_record(i):
        audit.record(
            "read",
            user=user,
            purpose="risicoanalyse",
            object_type="person",
            object_id=i,
            categories=["identity"],
            detail={"benchmark": "audit_rate"},
        )

    def run_threads(fn, seconds: float, threads: int, offset: int) -> int:
        counts = [0] * threads
        stop = time.perf_counter() + seconds

        def work(t):
            try:
                n = 0
                while time.perf_counter() < stop and n < 200_000:
                    fn(offset + t * 1_000_000 + n)
                    n += 1
                counts[t] = n
            finally:
                connection.close()

        pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join(seconds + 60)
        return sum(counts)

    def run(fn, seconds: float, writers: int, procs: int) -> float:
        """`writers` threads spread over `procs` processes, as over a server's workers."""
        import multiprocessing

        from django.db import connections

        connections.close_all()  # each process opens its own
        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        per_proc = [writers // procs + (1 if i < writers % procs else 0) for i in range(procs)]

        def child(i, n):
            queue.put(run_threads(fn, seconds, n, i * 100_000_000))

        began = time.perf_counter()
        children = [ctx.Process(target=child, args=(i, n)) for i, n in enumerate(per_proc) if n]
        for c in children:
            c.start()
        total = sum(queue.get(timeout=seconds + 120) for _ in children)
        for c in children:
            c.join(30)
        return total / (time.perf_counter() - began)

    before = run(legacy_record, args["seconds"], args["threads"], args["procs"])
    after = run(new_record, args["seconds"], args["threads"], args["procs"])
    left = audit.pending_count()
    report = audit.verify_chain()
    return {
        "before_per_s": round(before),
        "after_per_s": round(after),
        "left_unchained_after_run": left,
        "chain_ok": report.ok,
        "chain_entries": report.checked,
    }


def phase_check(args: dict) -> dict:
    from doorbraak.audit import services as audit
    from doorbraak.audit.models import AuditEntry

    as_left = audit.verify_chain(chain_first=False)
    report = audit.verify_chain()
    expected = json.loads(Path(args["request_ids"]).read_text())
    found, chained = set(), set()
    for start in range(0, len(expected), 2000):
        rows = AuditEntry.objects.filter(
            request_id__in=expected[start : start + 2000], action="read"
        )
        for request_id, seq in rows.values_list("request_id", "chain_seq"):
            found.add(request_id)
            if seq is not None:
                chained.add(request_id)
    return {
        "unchained_before_verify": as_left.unchained,
        "chain_ok": report.ok,
        "chain_entries": report.checked,
        "chained_by_verify": report.chained_now,
        "reason": report.reason,
        "audited_requests": len(expected),
        "reads_found": len(found),
        "reads_chained": len(chained),
    }


PHASES = {"prepare": phase_prepare, "audit_rate": phase_audit_rate, "check": phase_check}


def child_env(env: dict) -> dict:
    """This process's environment with env's values set (None: removed)."""
    result = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    for k, v in env.items():
        if v is None:
            result.pop(k, None)
    return result


def run_phase(name: str, env: dict, args: dict, timeout: float) -> dict:
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as out:
        out_path = out.name
    cmd = [sys.executable, __file__, "_phase", name, json.dumps(args), out_path]
    try:
        subprocess.run(cmd, env=child_env(env), check=True, timeout=timeout)
        return json.loads(Path(out_path).read_text())
    finally:
        Path(out_path).unlink(missing_ok=True)


# ====================================================================== the load itself


class User:
    """One person at work: a persistent HTTP connection and a session cookie."""

    def __init__(self, host: str, port: int, plan: dict):
        self.host, self.port, self.plan = host, port, plan
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.rng = random.Random(plan["username"])
        self.n = 0

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a kept-alive connection between requests: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, response

    def login(self) -> None:
        status, body, _ = self.request("GET", "/inloggen/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not token:
            raise RuntimeError(f"login page: HTTP {status}")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": self.plan["username"],
                "password": BENCH_PASSWORD,
                "otp_token": totp_code(self.plan["key"]),
            }
        ).encode()
        status, _, response = self.request(
            "POST",
            "/inloggen/",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}/inloggen/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {self.plan['username']} failed: HTTP {status}")

    def next_request(self) -> tuple[str, str, bool]:
        """(label, path, audited): the pages and API calls of this user's role, weighted."""
        p, r = self.plan, self.rng
        if p["role"] in ("case_director", "partner_professional"):
            case = r.choice(p["cases"])
            choices = [
                ("home", "/", False, 1),
                ("case_list", "/casussen/", False, 2),
                ("case_list_p2", "/casussen/?page=2", False, 1),
                ("case_detail", f"/casussen/{case}/", True, 4),
                ("api_cases", "/api/v1/cases/", False, 1),
                ("api_case", f"/api/v1/cases/{case}/", True, 2),
            ]
        else:
            choices = [
                ("home", "/", False, 1),
                ("person_detail", f"/personen/{r.choice(p['persons'])}/", True, 3),
                ("api_person", f"/api/v1/persons/{r.choice(p['persons'])}/", True, 2),
                ("company_list", "/bedrijven/", False, 1),
                ("company_detail", f"/bedrijven/{r.choice(p['companies'])}/", True, 2),
                ("premises_detail", f"/panden/{r.choice(p['premises'])}/", False, 1),
                ("api_companies", "/api/v1/companies/", False, 1),
            ]
        label, path, audited, _w = r.choices(choices, weights=[c[3] for c in choices], k=1)[0]
        return label, path, audited


def run_load(  # noqa: C901 - the load loop: start, run, tally, stop in one place
    port: int,
    plan: list[dict],
    users: int,
    duration: float,
    max_requests: int,
    think: tuple[float, float],
    on_start=lambda: None,
) -> dict:
    people = [User("127.0.0.1", port, plan[i % len(plan)]) for i in range(users)]
    errors_at_login = []

    def login(u):
        try:
            u.login()
        except Exception as exc:  # noqa: BLE001 (counted)
            errors_at_login.append(f"{u.plan['username']}: {exc}")

    threads = [threading.Thread(target=login, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    if errors_at_login:
        raise RuntimeError("logins failed: " + "; ".join(errors_at_login[:3]))

    results: list[tuple[str, int, float, bool, str]] = []
    lock = threading.Lock()
    count = [0]
    barrier = threading.Barrier(users + 1)
    deadline = [0.0]

    def work(u: User):
        barrier.wait()
        try:
            work_until_deadline(u)
        except Exception as exc:  # noqa: BLE001 (a user that stops working is an error)
            with lock:
                results.append(("user_stopped", 0, 0.0, False, repr(exc)))

    def work_until_deadline(u: User):
        while time.perf_counter() < deadline[0]:
            with lock:
                if count[0] >= max_requests:
                    return
                count[0] += 1
            label, path, audited = u.next_request()
            u.n += 1
            request_id = f"wl-{u.plan['username']}-{id(u) % 10000}-{u.n}"
            began = time.perf_counter()
            try:
                status, _, _ = u.request("GET", path, headers={"X-Request-ID": request_id})
            except Exception:  # noqa: BLE001 (an error like any other)
                status = 0
            elapsed = time.perf_counter() - began
            with lock:
                results.append((label, status, elapsed, audited, request_id))
            if think[1] > 0:
                time.sleep(u.rng.uniform(*think))

    pool = [threading.Thread(target=work, args=(u,)) for u in people]
    for t in pool:
        t.start()
    on_start()
    deadline[0] = time.perf_counter() + duration
    began = time.perf_counter()
    barrier.wait()
    for t in pool:
        t.join(duration + 60)
    wall = time.perf_counter() - began
    for u in people:
        u.conn.close()
    latencies = sorted(r[2] for r in results)
    errors = [r for r in results if not 200 <= r[1] < 300]
    by_label: dict[str, list[float]] = {}
    for r in results:
        by_label.setdefault(r[0], []).append(r[2])

    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else 0.0

    return {
        "requests": len(results),
        "errors": len(errors),
        "wall_s": wall,
        "active_users": sum(u.n > 0 for u in people),
        "p50_ms": pct(latencies, 0.50),
        "p95_ms": pct(latencies, 0.95),
        "p99_ms": pct(latencies, 0.99),
        "per_s": len(results) / wall if wall else 0.0,
        "audited_ok": [r[4] for r in results if r[3] and 200 <= r[1] < 300],
        "error_samples": sorted({f"{r[0]} HTTP {r[1]}" for r in errors})[:5],
        "by_label": {k: (len(v), pct(v, 0.5), pct(v, 0.95)) for k, v in sorted(by_label.items())},
    }


def serve(
    env: dict, port: int, workers: int | None, threads: int | None, log_path: Path
) -> subprocess.Popen:
    """`doorbraak serve` (gunicorn, production settings) on the loopback address; its logs
    (JSON access log included) go to log_path."""
    cmd = [sys.executable, "-m", "doorbraak.cli", "serve", f"127.0.0.1:{port}"]
    if workers:
        cmd += ["--workers", str(workers)]
    if threads:
        cmd += ["--threads", str(threads)]
    log = open(log_path, "wb")  # noqa: SIM115 (the server's, closed with it)
    proc = subprocess.Popen(
        cmd,
        env=child_env({**env, "DOORBRAAK_LOG_LEVEL": "WARNING"}),
        cwd=ROOT,
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 300  # collectstatic first
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"doorbraak serve exited with {proc.returncode}; see {log_path}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/inloggen/")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise RuntimeError(f"doorbraak serve did not answer within 300 s; see {log_path}")


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds used so far by the processes of a process group (the server and its workers)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if (
            int(fields[2]) == pgid
        ):  # after the command: state, ppid, pgrp, ..., utime (11), stime (12)
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def default_database_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        parsed = urllib.parse.urlparse(base)
        return parsed._replace(path=parsed.path.rstrip("/") + "_webload").geturl()
    return "postgres://postgres@127.0.0.1:5432/doorbraak_webload"


def bench_backend(backend: str, a: argparse.Namespace) -> dict:
    if backend == "postgres":
        url = a.database_url or default_database_url()
        if urllib.parse.urlparse(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("loopback only: the database must be on this machine")
        ensure_postgres_database(url)
        var = ROOT / "var" / "webload" / "postgres"
        var.mkdir(parents=True, exist_ok=True)
        env = {"DATABASE_URL": url, "DOORBRAAK_VAR_DIR": str(var)}
        sizes = {"persons": a.persons, "cases": a.cases, "registers": False}
        label = f"PostgreSQL ({urllib.parse.urlparse(url).path.lstrip('/')})"
    else:
        var = ROOT / "var" / "webload" / "sqlite"
        var.mkdir(parents=True, exist_ok=True)
        for old in var.glob("doorbraak.sqlite3*"):  # the benchmark's own demo, built fresh each run
            old.unlink()
        env = {"DOORBRAAK_VAR_DIR": str(var), "DATABASE_URL": None, "DOORBRAAK_DEMO_MODE": "1"}
        sizes = {"persons": 0, "cases": 0, "registers": True}
        label = f"SQLite demo ({var / 'doorbraak.sqlite3'})"
    # Both runs build the demo city (demo mode: its accounts, plain http on the loopback).
    env.update(
        {
            "DOORBRAAK_SECRET_KEY": "webload-benchmark-only",
            "DOORBRAAK_DEBUG": "0",
            "DOORBRAAK_DEMO_MODE": "1",
            "DOORBRAAK_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "doorbraak.settings",
        }
    )

    print(f"== {label}", flush=True)
    t = time.perf_counter()
    prep = run_phase("prepare", env, sizes, timeout=1800)
    print(
        f"   data: {prep['persons']:,} persons, {prep['cases']:,} cases ({time.perf_counter() - t:.0f} s to prepare)",
        flush=True,
    )
    procs = a.workers or 3
    rate = run_phase(
        "audit_rate",
        env,
        {"seconds": a.rate_seconds, "threads": a.users, "procs": procs},
        timeout=600,
    )
    print(
        f"   raw audit writes, {a.users} threads in {procs} processes: before {rate['before_per_s']:,}/s (global chain lock), "
        f"after {rate['after_per_s']:,}/s (insert, chained after commit); left unchained "
        f"{rate['left_unchained_after_run']}; chain ok: {rate['chain_ok']}",
        flush=True,
    )
    log_path = var / "serve.log"
    proc = serve(env, a.port, a.workers, a.threads, log_path)
    try:
        cpu = []
        load = run_load(
            a.port,
            prep["plan"],
            a.users,
            a.duration,
            a.max_requests,
            (a.think_min, a.think_max),
            on_start=lambda: cpu.append(group_cpu_seconds(proc.pid)),
        )
        server_cpu = group_cpu_seconds(proc.pid) - cpu[0]
    finally:
        stop(proc)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(load["audited_ok"], f)
        ids_path = f.name
    try:
        check = run_phase("check", env, {"request_ids": ids_path}, timeout=1800)
    finally:
        Path(ids_path).unlink(missing_ok=True)
    audited_per_s = len(load["audited_ok"]) / load["wall_s"]
    for name, (n, p50, p95) in load["by_label"].items():
        print(f"   {name:<16} {n:>6} requests  p50 {p50:6.0f} ms  p95 {p95:6.0f} ms")
    print(
        f"   {load['active_users']} of {a.users} users at work; "
        f"{load['requests']} requests in {load['wall_s']:.1f} s ({load['per_s']:.0f}/s), errors {load['errors']} "
        f"{load['error_samples']}, p50 {load['p50_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms, "
        f"p99 {load['p99_ms']:.0f} ms; audited reads {audited_per_s:.0f}/s",
        flush=True,
    )
    print(
        f"   server CPU {server_cpu:.1f} s for the run (after the logins): "
        f"{1000 * server_cpu / max(1, load['requests']):.0f} ms per request; machine load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared)",
        flush=True,
    )
    complete = (
        check["reads_found"] == check["reads_chained"] == check["audited_requests"]
        and check["chain_ok"]
    )
    print(
        f"   audit chain: {check['chain_entries']:,} entries verified, ok={check['chain_ok']} {check['reason']}; "
        f"{check['unchained_before_verify']} left unchained by the requests' sequencer (verify chained "
        f"{check['chained_by_verify']}); reads of audited requests found {check['reads_found']}/"
        f"{check['audited_requests']}, chained {check['reads_chained']} -> {'COMPLETE' if complete else 'INCOMPLETE'}",
        flush=True,
    )
    errors = load["errors"] + (0 if complete else 1) + (a.users - load["active_users"])
    print(
        f"RESULT users={a.users} requests={load['requests']} errors={errors} p95_ms={load['p95_ms']:.0f} "
        f"audit_writes_per_s={rate['after_per_s']}",
        flush=True,
    )
    return {
        "requests": load["requests"],
        "errors": errors,
        "p95_ms": load["p95_ms"],
        "rate": rate["after_per_s"],
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_phase"]:
        name, args, out = argv[1], json.loads(argv[2]), argv[3]
        _django({})
        import logging

        logging.disable(logging.WARNING)
        Path(out).write_text(json.dumps(PHASES[name](args)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL database of the benchmark (created if missing; "
        "default: DATABASE_URL's name + _webload)",
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--duration", type=float, default=40.0, help="seconds of load per database (default 40)"
    )
    parser.add_argument(
        "--max-requests", type=int, default=50_000, help="stop after this many requests"
    )
    parser.add_argument(
        "--think-min", type=float, default=0.2, help="seconds a user pauses between clicks (min)"
    )
    parser.add_argument(
        "--think-max", type=float, default=1.0, help="seconds a user pauses between clicks (max)"
    )
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument(
        "--workers", type=int, help="gunicorn worker processes (default: doorbraak serve's)"
    )
    parser.add_argument(
        "--threads", type=int, help="threads per worker (default: doorbraak serve's)"
    )
    parser.add_argument(
        "--rate-seconds", type=float, default=5.0, help="seconds per raw audit-rate measurement"
    )
    a = parser.parse_args(argv)
    backends = ["postgres", "sqlite"] if a.backend == "both" else [a.backend]
    results = [bench_backend(b, a) for b in backends]
    if len(results) > 1:
        pg = results[0]
        print(
            f"RESULT users={a.users} requests={sum(r['requests'] for r in results)} "
            f"errors={sum(r['errors'] for r in results)} p95_ms={pg['p95_ms']:.0f} audit_writes_per_s={pg['rate']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
