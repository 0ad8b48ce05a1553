"""The review queue comes a page at a time (a demo city has some 70 open pairs)."""

from __future__ import annotations

import re

from django.urls import reverse

from doorbraak.entities import services, views
from doorbraak.entities.models import PairState, ReviewPair
from tests.conftest import login


def test_review_queue_is_paginated_and_judging_returns_to_the_same_page(
    client, world, register, monkeypatch
):
    run = services.run_register_linkage("person")
    # two more pairs the model is unsure about, beside the one the small register gives
    p = register.persons
    for a, b in (("noor", "noor2"), ("lisa", "lisa2")):
        ReviewPair.objects.get_or_create(
            run=run,
            left_record=f"person-{p[a].pk}",
            right_record=f"person-{p[b].pk}",
            defaults={"match_probability": 0.6, "explanation": {}},
        )
    open_pairs = run.review_pairs.filter(state=PairState.OPEN).count()
    assert open_pairs >= 3
    monkeypatch.setattr(views, "REVIEW_PAGE_SIZE", 1)
    login(client, world.users["analyst"])
    html = client.get(reverse("entity_review")).content.decode()
    assert html.count('class="db-pair"') == 1
    assert f"Open paren ({open_pairs})" in html
    nav = re.search(r'<nav class="utrecht-pagination.*?</nav>', html, re.S).group(0)
    assert 'aria-current="page"' in nav and 'rel="next"' in nav

    html = client.get(reverse("entity_review"), {"page": 2}).content.decode()
    assert html.count('class="db-pair"') == 1
    pair = re.search(r'name="pair" value="(\d+)"', html).group(1)
    assert 'name="next" value="/entiteiten/?page=2"' in html
    response = client.post(
        reverse("entity_judge"), {"pair": pair, "verdict": "unsure", "next": "/entiteiten/?page=2"}
    )
    assert response.status_code == 302 and response["Location"] == "/entiteiten/?page=2"
