"""Demo prevention reach (monitoring): Kapot Sterk lessons in primary schools and activities of
youth work and buurtteams, registered as counts per school or location, wijk and quarter over
the last two years. Synthetic and plausible: a class has 20-30 pupils, a Kapot Sterk series is
4-6 lessons, youth work runs weekly groups of 8-15 young people."""

from __future__ import annotations

import random
from datetime import date, timedelta

from .geography import WIJK_NAMES

SCHOOLS = {
    "overvecht": ["OBS De Tuinen", "Al Amana", "De Vuurvogel", "KBS Sint Bonifatius"],
    "noordwest": ["OBS Zuilen", "De Kleine Dichter", "KBS Sint Jan"],
    "west": ["OBS Lombok", "De Pijlstaart"],
    "zuidwest": ["OBS Kanaleneiland", "Nutsschool Transwijk"],
    "noordoost": ["Wittevrouwen School"],
    "zuid": ["OBS Hoograven"],
    "leidsche_rijn": ["OBS Parkwijk"],
}
YOUTH_WORK = {
    "overvecht": ["Jongerencentrum Overvecht", "Buurtcentrum Nieuw Overvecht"],
    "noordwest": ["Jongerenplek Zuilen"],
    "zuidwest": ["Jongerencentrum Kanaleneiland"],
    "west": ["Jongerenwerk Lombok"],
}


def _quarters(today: date, n: int = 8):
    q = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    out = []
    for _i in range(n + 1):
        end = (date(q.year + (q.month + 2) // 12, (q.month + 2) % 12 + 1, 1)) - timedelta(days=1)
        out.append((q, end))
        q = date(
            (q - timedelta(days=1)).year, 3 * (((q - timedelta(days=1)).month - 1) // 3) + 1, 1
        )
    return [x for x in reversed(out) if x[0] <= today]


def build_prevention(today: date, seed: int = 1) -> int:
    from doorbraak.monitoring.models import PreventionActivity, PreventionKind

    rng = random.Random(seed * 7919 + 13)
    rows = []
    for start, end in _quarters(today):
        summer = start.month == 7
        for wijk, schools in SCHOOLS.items():
            for school in schools:
                if summer or rng.random() < 0.45:
                    continue  # a school has a Kapot Sterk series in about half the quarters
                groups = rng.randint(1, 3)
                rows.append(
                    PreventionActivity(
                        kind=PreventionKind.KAPOT_STERK,
                        location=school,
                        wijk=wijk,
                        area="",
                        period_start=start,
                        period_end=min(end, today),
                        sessions=groups * rng.randint(4, 6),
                        participants=sum(rng.randint(20, 30) for _g in range(groups)),
                    )
                )
        for wijk, places in YOUTH_WORK.items():
            for place in places:
                weeks = 6 if summer else 12
                rows.append(
                    PreventionActivity(
                        kind=PreventionKind.YOUTH_WORK,
                        location=place,
                        wijk=wijk,
                        area="nieuw_overvecht" if "Nieuw Overvecht" in place else "",
                        period_start=start,
                        period_end=min(end, today),
                        sessions=weeks * rng.randint(1, 2),
                        participants=rng.randint(25, 60),
                    )
                )
        for wijk in ("overvecht", "noordwest", "zuidwest", "west", "noordoost"):
            rows.append(
                PreventionActivity(
                    kind=PreventionKind.BUURTTEAM,
                    location=f"Buurtteam {WIJK_NAMES[wijk]}",
                    wijk=wijk,
                    area="",
                    period_start=start,
                    period_end=min(end, today),
                    sessions=rng.randint(3, 8),
                    participants=rng.randint(30, 90),
                )
            )
    PreventionActivity.objects.bulk_create(rows)
    return len(rows)
