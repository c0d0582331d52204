# SPDX-License-Identifier: EUPL-1.2
"""Security test 9: a hit and a no-hit differ only in the one bit of the answer.

Same HTTP status, same headers, same body size and shape, both audited, and no timing difference
in the medians (the endpoint answers no earlier than a fixed floor).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest

from tests.matching.test_services import REGISTRY
from weerbaar.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

HIT_SUBJECT = {"given_names": "Fatima", "surname": "Öztürk", "date_of_birth": "1985-11-23"}
NO_HIT_SUBJECT = {"given_names": "Karel", "surname": "Appelaar", "date_of_birth": "1921-04-25"}


@pytest.fixture
def client_with_brp(load_source: Any, users: Any, login: Any, ref: str) -> Any:
    """The regisseur, asking for a signal whose privacy check 1 approves the BRP."""
    load_source("brp", REGISTRY)
    client = login(users["regisseur"])
    client.reference = ref
    return client


def ask(client: Any, subject: dict[str, str]) -> Any:
    body = {"subject": subject, "sources": ["brp"], "purpose": "leak test", "reference": client.reference}
    return client.post("/api/v1/matching/hit-no-hit", body, content_type="application/json")


def test_hit_and_no_hit_look_the_same_apart_from_the_answer(client_with_brp: Any) -> None:
    before = AuditEvent.objects.filter(action="matching:subject:hit-no-hit").count()
    hit, miss = ask(client_with_brp, HIT_SUBJECT), ask(client_with_brp, NO_HIT_SUBJECT)
    assert hit.json()["answers"][0]["status"] == "hit" and miss.json()["answers"][0]["status"] == "no-hit"
    assert hit.status_code == miss.status_code == 200
    assert dict(hit.headers) == dict(miss.headers)
    assert len(hit.content) == len(miss.content)
    assert [sorted(a) for a in hit.json()["answers"]] == [sorted(a) for a in miss.json()["answers"]]
    assert AuditEvent.objects.filter(action="matching:subject:hit-no-hit").count() == before + 2


def test_no_timing_difference_between_hit_and_no_hit(client_with_brp: Any, settings: Any) -> None:
    timings: dict[str, list[float]] = {"hit": [], "miss": []}
    for _ in range(12):
        for label, subject in (("hit", HIT_SUBJECT), ("miss", NO_HIT_SUBJECT)):
            started = time.perf_counter()
            ask(client_with_brp, subject)
            timings[label].append(time.perf_counter() - started)
    floor = settings.MATCHING_MIN_RESPONSE_MS / 1000
    assert min(timings["hit"] + timings["miss"]) >= floor
    assert abs(statistics.median(timings["hit"]) - statistics.median(timings["miss"])) < 0.005
