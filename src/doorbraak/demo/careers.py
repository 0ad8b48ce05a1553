"""Case management in the demo city (issue 3): every demo case gets the case conference decision
that included it, reviews, ZRM assessments, a plan, contacts and interventions; five family cases
get family members (each with their own decision) and a network. All synthetic.

Deterministic: one random.Random(seed + 3); every date is relative to the build date `today`
(see clock.py), and the daily job then runs on `today` so the case director's home page has
current alerts."""

from __future__ import annotations

import random
from datetime import date, timedelta

from doorbraak.careers import models as m
from doorbraak.careers.jobs import run_daily
from doorbraak.partners.models import Organisation, User

from . import reference as ref

INTERVENTIONS = [
    (
        "Credible messengers Utrecht",
        "Stichting Straatwijs (demo)",
        "in_ontwikkeling",
        "credible_messenger",
        False,
    ),
    ("Jobcoach binnen en buiten", "Reclassering Nederland", "erkend", "job_coach", True),
    ("Stage met status", "Werkgeversservicepunt Utrecht (demo)", "nieuw", "internship", False),
    ("Sport- en dagprogramma Overvecht", "JoU Jongerenwerk", "in_ontwikkeling", "sport_day", False),
    ("Wijkrechtspraak Utrecht", "Rechtbank Midden-Nederland", "nieuw", "wijkrechtspraak", False),
    ("Online schuldenrechter", "Rechtspraak (pilot)", "nieuw", "debt_judge", False),
    ("Multidisciplinair begeleidingsteam", "Gemeente Utrecht OOV", "in_ontwikkeling", "mdt", False),
    ("Vrijwilligers uit eigen netwerk", "Buurtteams Utrecht", "nieuw", "own_network", False),
    ("Kapot Sterk", "Gemeente Utrecht (preventie)", "in_ontwikkeling", "prevention", False),
    ("Leefstijltraining (3RO)", "Reclassering Nederland", "erkend", "probation", True),
]
PROGRAMMES = [  # name, intervention index, capacity, job guarantee
    ("Sport- en dagprogramma 2025-2026", 3, 60, False),
    ("Stage met status: techniek en logistiek", 2, 35, True),
    ("Credible messengers: traject 12 maanden", 0, 45, False),
    ("Jobcoach in en na detentie", 1, 60, False),
]
# Why cases ended, as case directors record it at exit (weights for the demo's closed cases).
EXIT_REASONS = (
    ("goals_reached", 34),
    ("regular_care", 30),
    ("no_cooperation", 12),
    ("detention", 10),
    ("moved", 9),
    ("other", 5),
)
EXIT_TEXTS = {
    "goals_reached": ("Doelen grotendeels bereikt.", "Verdere inzet niet meer nodig."),
    "regular_care": ("Ondersteuning loopt door in reguliere zorg.", "Regie kan terug."),
    "no_cooperation": ("Betrokkene werkt niet meer mee.", "Zonder medewerking geen basis."),
    "detention": ("Betrokkene is gedetineerd.", "Nazorg via reclassering."),
    "moved": ("Betrokkene is verhuisd buiten de gemeente.", "Warme overdracht gedaan."),
    "other": ("Casus afgesloten na overleg.", "Verdere inzet niet meer nodig."),
}
COACHES = [
    (
        "Demo Coach Amrani",
        "credible_messenger",
        ref.ORG_JOU,
        "jongeren Overvecht, ervaringsdeskundig",
        5,
        False,
    ),
    (
        "Demo Coach de Vries",
        "job_coach",
        ref.ORG_RN,
        "techniek, logistiek, begeleiding in detentie",
        6,
        True,
    ),
    ("Demo Coach Pinas", "credible_messenger", ref.ORG_JOU, "Zuilen en Ondiep, sport", 5, False),
    ("Demo Coach Yilmaz", "job_coach", ref.ORG_RN, "horeca en retail", 6, True),
    ("Demo Coach Bakker", "job_coach", ref.ORG_BUURTTEAMS, "schulden en werk", 4, False),
]
VOG = [  # job, sector, needs, profile, aspects, advice, verified
    (
        "Magazijnmedewerker",
        "Logistiek",
        True,
        "algemeen screeningsprofiel",
        "37 goederen",
        "Vaak gevraagd bij toegang tot goederen.",
        False,
    ),
    (
        "Monteur autobedrijf",
        "Techniek",
        False,
        "",
        "",
        "Meestal geen VOG; vraag het de werkgever.",
        False,
    ),
    ("Taxichauffeur", "Vervoer", True, "65/70 taxi", "", "Specifiek profiel taxi.", True),
    (
        "Pedagogisch medewerker kinderopvang",
        "Kinderopvang",
        True,
        "specifiek profiel kinderopvang",
        "84/86 zorg voor minderjarigen",
        "Verplicht.",
        True,
    ),
    (
        "Beveiliger",
        "Beveiliging",
        True,
        "algemeen screeningsprofiel",
        "13 kennis van beveiligingssystemen",
        "Justis kijkt naar beveiligingsaspecten.",
        False,
    ),
    (
        "Kassamedewerker",
        "Retail",
        True,
        "algemeen screeningsprofiel",
        "21 contante gelden",
        "Vaak gevraagd bij kassawerk.",
        False,
    ),
    (
        "Sportbegeleider jeugd",
        "Sport",
        True,
        "algemeen screeningsprofiel",
        "84 zorg voor minderjarigen",
        "Werken met kinderen.",
        False,
    ),
    ("Schoonmaker", "Schoonmaak", False, "", "", "Meestal geen VOG.", False),
]
CRITERIA_TEXT = (
    "Signalen van politie en school besproken.",
    "Meerdere partners zien zorgen op meerdere leefgebieden.",
    "Aanmelding na overleg met ouders.",
)


def _held(rng, due: date) -> date:
    """When a review is held: mostly in the weeks before its due date, one in ten late."""
    if rng.random() < 0.1:
        return due + timedelta(days=rng.randint(3, 30))
    return due - timedelta(days=rng.randint(0, 25))


def _d(rng, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def extend(city, today: date) -> dict:  # noqa: C901 - the demo story, case by case
    rng = random.Random(city.seed + 3)
    orgs = {o.code: o for o in Organisation.objects.all()}
    director = User.objects.filter(role="case_director").order_by("pk").first()
    interventions = []
    for name, provider, rec, typ, det in INTERVENTIONS:
        interventions.append(
            m.Intervention.objects.create(
                name=name, provider=provider, recognition=rec, type=typ, in_detention=det
            )
        )
    programmes = [
        m.Programme.objects.create(
            name=n,
            intervention=interventions[i],
            capacity=c,
            owner=director,
            has_job_guarantee=j,
            no_reoffending_months=6,
        )
        for n, i, c, j in PROGRAMMES
    ]
    coaches = [
        m.Coach.objects.create(
            name=n, kind=k, organisation=orgs[o], expertise=e, max_cases=mx, works_in_detention=d
        )
        for n, k, o, e, mx, d in COACHES
    ]
    m.VogGuidance.objects.bulk_create(
        [
            m.VogGuidance(
                job=j,
                sector=s,
                needs_vog=n,
                screening_profile=p,
                functieaspecten=a,
                advice=adv,
                verified=v,
            )
            for j, s, n, p, a, adv, v in VOG
        ]
    )
    criteria = list(m.InclusionCriterion.objects.all())
    cases = list(
        m.Case.objects.select_related("subject", "case_type")
        .prefetch_related("participants")
        .order_by("opened_on", "reference")
    )
    concerns, decisions, members, reviews, zrms, goals, contacts, enrolments = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    actions, relations, matches = [], [], []
    active = {p.pk: 0 for p in programmes}
    family_done = 0
    open_seen = 0
    for case in cases:
        if case.subject is None:
            continue
        end = case.closed_on or today
        partner_orgs = [p.organisation for p in case.participants.all()]
        reporter = next((o for o in partner_orgs if o.code != ref.ORG_OOV), partner_orgs[0])
        review_due = case.opened_on + timedelta(days=180)
        case.inclusion_end = case.opened_on + timedelta(days=730)
        case.contact_cadence_days = rng.choice((7, 14, 14, 21))
        case.lead_professional = director
        concern = m.Concern(
            person=case.subject,
            organisation=reporter,
            received_on=case.opened_on - timedelta(days=rng.randint(7, 30)),
            description=case.summary or "Zorgen over doorgroei (synthetisch).",
            status=m.ConcernStatus.DECIDED,
        )
        decision = m.CaseDecision(
            concern=concern,
            person=case.subject,
            decided_on=case.opened_on,
            case=case,
            outcome=m.DecisionOutcome.FAMILY_NEW
            if case.kind == "family"
            else m.DecisionOutcome.INDIVIDUAL,
            criteria_text=rng.choice(CRITERIA_TEXT),
            reasons="Casusoverleg: samenhangende aanpak "
            "nodig; reguliere hulp volstaat niet (synthetisch).",
            legal_basis=case.case_type.legal_basis,
            review_due=review_due,
            inclusion_end=case.inclusion_end,
            decided_by=director,
        )
        decision._criteria = rng.sample(criteria, min(len(criteria), 2)) if criteria else []
        decision._partners = partner_orgs
        concerns.append(concern)
        decisions.append(decision)
        members.append(
            m.CaseMember(case=case, person=case.subject, decision=decision, since=case.opened_on)
        )
        # reviews every ~6 months; exit on closing
        held = _held(rng, review_due)
        next_due = review_due
        while held < end:
            nd = held + timedelta(days=180)
            reviews.append(
                m.Review(
                    case=case,
                    held_on=held,
                    suitable="Aanpak draagt bij aan de doelen.",
                    necessary="Zonder samenwerking vallen afspraken weg.",
                    balanced="Inbreuk beperkt tot noodzakelijke gegevens.",
                    outcome="continue",
                    next_review_due=nd,
                    by=director,
                )
            )
            next_due, held = nd, _held(rng, nd)
        open_seen += 0 if case.closed_on else 1
        if not case.closed_on and open_seen % 7 == 3:
            # Some reviews slip (one open case in seven): the last one was not held, so it is overdue.
            case_reviews = [r for r in reviews if r.case is case]
            previous_due = case_reviews[-2].next_review_due if len(case_reviews) > 1 else review_due
            if case_reviews and previous_due < today - timedelta(days=3):
                reviews.remove(case_reviews[-1])
                next_due = previous_due
        if case.closed_on:
            reason = rng.choices(
                [r for r, _w in EXIT_REASONS], weights=[w for _r, w in EXIT_REASONS], k=1
            )[0]
            # cases closed long ago (before the reason was asked) stay "niet geregistreerd"
            case.exit_reason = reason if case.closed_on.year >= 2022 else "not_recorded"
            suitable, necessary = EXIT_TEXTS[reason]
            reviews.append(
                m.Review(
                    case=case,
                    held_on=case.closed_on,
                    suitable=suitable,
                    necessary=necessary,
                    balanced="Voortzetten zou onevenredig zijn.",
                    outcome="exit",
                    by=director,
                )
            )
            case.next_review_due = None
        else:
            case.next_review_due = next_due
        # ZRM: first at start, then each half year; no total score
        base = {dmn: rng.randint(1, 3) for dmn in m.ZrmDomain.values}
        on = case.opened_on + timedelta(days=14)
        while on <= end:
            zrms.append(
                m.ZrmAssessment(
                    case=case,
                    person=case.subject,
                    assessed_on=on,
                    assessor_name="Demo Procesregisseur",
                    version="ZRM 2017",
                    scores=dict(base),
                    assessor=director,
                )
            )
            base = {k: max(1, min(5, v + rng.choice((-1, 0, 1, 1)))) for k, v in base.items()}
            on += timedelta(days=182)
        for domain in rng.sample(
            [
                m.ZrmDomain.WORK_EDUCATION,
                m.ZrmDomain.FINANCES,
                m.ZrmDomain.JUSTICE,
                m.ZrmDomain.TIME_USE,
                m.ZrmDomain.NETWORK,
            ],
            2,
        ):
            goal = m.Goal(
                case=case,
                person=case.subject,
                domain=domain,
                description={
                    "werk_opleiding": "Terug naar school of aan het werk",
                    "financien": "Schulden in beeld en regeling",
                    "justitie": "Geen nieuwe politiecontacten",
                    "tijdsbesteding": "Vaste dagbesteding",
                    "sociaal_netwerk": "Afstand tot criminele contacten",
                }[domain],
                status="reached" if case.closed_on else "open",
            )
            goals.append(goal)
            for org in rng.sample(partner_orgs, min(2, len(partner_orgs))):
                actions.append(
                    m.PlanAction(
                        goal=goal,
                        person=case.subject,
                        organisation=org,
                        owner_name=f"Demo {org.name[:30]}",
                        description=rng.choice(
                            (
                                "Wekelijks gesprek",
                                "Aanmelding traject",
                                "Huisbezoek",
                                "Contact met school",
                                "Schuldenoverzicht maken",
                            )
                        ),
                        due_on=(due := _d(rng, case.opened_on, end + timedelta(days=60))),
                        # mostly done by their date; a few are overdue
                        status="done"
                        if case.closed_on
                        else rng.choice(
                            ("done",) * 15 + ("busy",)
                            if due < today
                            else ("planned", "planned", "busy")
                        ),
                    )
                )
        # contacts: within the cadence, with a gap for some open cases (the daily job notices)
        stop = (
            end
            if case.closed_on or rng.random() < 0.8
            else today - timedelta(days=rng.randint(25, 60))
        )
        on = case.opened_on + timedelta(days=rng.randint(1, 5))
        while on <= stop:
            contacts.append(
                m.Contact(
                    case=case,
                    person=case.subject,
                    organisation=rng.choice(partner_orgs),
                    contact_on=on,
                    kind=rng.choice(("face", "face", "home", "phone")),
                    note="Gesprek (synthetisch).",
                    by=director,
                )
            )
            on += timedelta(days=max(3, case.contact_cadence_days - rng.randint(0, 5)))
        # interventions: most cases take part in one, some in a second or third after it
        requested = case.opened_on + timedelta(days=rng.randint(20, 90))
        used: set[int] = set()
        for chance in (0.8, 0.45, 0.2):
            if rng.random() >= chance or requested >= end:
                break
            p = rng.choice([x for x in programmes if x.pk not in used])
            used.add(p.pk)
            e = m.Enrolment(
                programme=p,
                case=case,
                person=case.subject,
                requested_on=requested,
                started_on=requested,
                sessions_planned=20,
                sessions_attended=rng.randint(8, 20),
                status=m.EnrolmentStatus.ACTIVE,
            )
            enrolments.append(e)
            finish = requested + timedelta(days=rng.randint(90, 240))
            if finish >= end:
                if active[p.pk] >= p.capacity:
                    e.status, e.started_on = m.EnrolmentStatus.WAITING, None
                else:
                    active[p.pk] += 1
                break
            if rng.random() < 0.75:
                e.status, e.positive, e.ended_on = m.EnrolmentStatus.COMPLETED, True, finish
                if p.has_job_guarantee:
                    e.job_status = "offered" if finish + timedelta(days=183) < today else "pending"
                    e.job_placed_on = (
                        finish + timedelta(days=rng.randint(20, 180))
                        if e.job_status == "offered"
                        else None
                    )
            else:
                e.status, e.ended_on, e.dropout_reason = (
                    m.EnrolmentStatus.DROPPED,
                    finish,
                    rng.choice(("Niet meer verschenen", "Verhuisd", "Andere dagbesteding")),
                )
                e.job_status = "lapsed" if p.has_job_guarantee else ""
            requested = finish + timedelta(days=rng.randint(7, 60))
        if rng.random() < 0.3:
            matches.append(
                m.CoachMatch(
                    coach=rng.choice(coaches),
                    case=case,
                    since=case.opened_on + timedelta(days=30),
                    until=case.closed_on,
                    matched_by=director,
                )
            )
        if case.kind == "family" and family_done < 5 and not case.closed_on:
            family_done += 1
            for role, rel, years in (
                ("parent", "parent", (1965, 1980)),
                ("child", "sibling", (2005, 2011)),
                ("child", "sibling", (2007, 2013)),
            ):
                person = city._person(
                    born_from=city.d(years[0], 1, 1),
                    born_to=city.d(years[1], 12, 31),
                    surname=(case.subject.surname_prefix, case.subject.surname),
                    residence=case.subject.residence,
                )
                from .generator import BRP_FILE, BRP_RECEIVED

                src = city._source(
                    ref.SOURCE_BRP, BRP_FILE, BRP_RECEIVED
                )  # family members are BRP residents
                person.source, person.source_file = src["source"], src["source_file"]
                person.source_row, person.received_on = src["source_row"], src["received_on"]
                person.save()
                since = case.opened_on + timedelta(days=rng.randint(10, 60))
                c2 = m.Concern(
                    person=person,
                    organisation=reporter,
                    received_on=since - timedelta(days=5),
                    family_case=case,
                    description="Gezinslid aangemeld voor de gezinsaanpak (synthetisch).",
                    status=m.ConcernStatus.DECIDED,
                )
                d2 = m.CaseDecision(
                    concern=c2,
                    person=person,
                    decided_on=since,
                    case=case,
                    outcome=m.DecisionOutcome.FAMILY_MEMBER,
                    criteria_text="Eigen besluit per gezinslid.",
                    reasons="Casusoverleg: gezinslid heeft eigen ondersteuning nodig (synthetisch).",
                    legal_basis=case.case_type.legal_basis,
                    review_due=since + timedelta(days=180),
                    inclusion_end=case.inclusion_end,
                    decided_by=director,
                )
                d2._criteria, d2._partners = criteria[3:4], partner_orgs
                concerns.append(c2)
                decisions.append(d2)
                members.append(
                    m.CaseMember(case=case, person=person, decision=d2, since=since, role=role)
                )
                relations.append(
                    m.Relation(
                        case=case,
                        from_person=person,
                        to_person=case.subject,
                        kind=rel,
                        source=orgs[ref.ORG_OOV],
                        recorded_on=since,
                        note="BRP en gesprek",
                    )
                )
                goal = m.Goal(
                    case=case,
                    person=person,
                    domain=m.ZrmDomain.DOMESTIC,
                    description="Rust en structuur thuis",
                )
                goals.append(goal)
                for org in partner_orgs[:3]:
                    actions.append(
                        m.PlanAction(
                            goal=goal,
                            person=person,
                            organisation=org,
                            owner_name=f"Demo {org.name[:30]}",
                            description="Gesprek met gezinslid",
                            due_on=today + timedelta(days=30),
                        )
                    )
    m.Concern.objects.bulk_create(concerns)
    for d in decisions:
        d.concern_id = d.concern.pk
    m.CaseDecision.objects.bulk_create(decisions)
    Through = m.CaseDecision.criteria.through
    Through.objects.bulk_create(
        [
            Through(casedecision_id=d.pk, inclusioncriterion_id=c.pk)
            for d in decisions
            for c in d._criteria
        ]
    )
    PThrough = m.CaseDecision.partners.through
    PThrough.objects.bulk_create(
        [
            PThrough(casedecision_id=d.pk, organisation_id=o.pk)
            for d in decisions
            for o in d._partners
        ]
    )
    for x in members:
        x.decision_id = x.decision.pk
    m.CaseMember.objects.bulk_create(members)
    m.Review.objects.bulk_create(reviews, batch_size=500)
    m.ZrmAssessment.objects.bulk_create(zrms, batch_size=500)
    m.Goal.objects.bulk_create(goals, batch_size=500)
    for a in actions:
        a.goal_id = a.goal.pk
    m.PlanAction.objects.bulk_create(actions, batch_size=500)
    m.Contact.objects.bulk_create(contacts, batch_size=1000)
    m.Enrolment.objects.bulk_create(enrolments, batch_size=500)
    m.Relation.objects.bulk_create(relations)
    m.CoachMatch.objects.bulk_create(matches)
    m.Case.objects.bulk_update(
        cases,
        [
            "inclusion_end",
            "contact_cadence_days",
            "lead_professional",
            "next_review_due",
            "exit_reason",
        ],
        batch_size=500,
    )
    _record_kinds()
    run_daily(today)
    return {"decisions": len(decisions), "contacts": len(contacts), "enrolments": len(enrolments)}


KIND_BY_TITLE = {
    "Aanhouding Opiumwet": "police",
    "Signaal wijkagent": "police",
    "Registratie bedreiging": "police",
    "Verzuimmelding": "school",
    "Gesprek mentor": "school",
    "Diploma behaald": "school",
    "Schoolsituatie": "school",
    "Stage met status": "intervention",
    "Sportprogramma": "intervention",
    "Dagbesteding": "intervention",
    "Jobcoach gekoppeld": "work",
    "Schulden geïnventariseerd": "debts",
    "Schuldhulpverlening": "debts",
    "Aanvraag bijzondere bijstand": "debts",
    "Toezicht gestart": "intervention",
    "Taakstraf opgelegd": "intervention",
}


def _record_kinds() -> None:
    for title, kind in KIND_BY_TITLE.items():
        m.CaseRecord.objects.filter(title=title).update(kind=kind)
    # the subject is the person a foundation record is about
    for case_id, subject_id in m.Case.objects.exclude(subject=None).values_list("pk", "subject_id"):
        m.CaseRecord.objects.filter(case_id=case_id, person__isnull=True).update(
            person_id=subject_id
        )
