# SPDX-License-Identifier: EUPL-1.2
"""The demo carries signals and cases in every phase of steps 3-4, a destroyed case and a
handled data-subject request, made through the real services (issue 4 §4).

The demo is loaded once for this module, as ``weerbaar demo`` loads it (users and signals, a
small fictitious city through the real import, its index, then the cases), inside a transaction
that is rolled back at the end; each test runs in a savepoint within it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from weerbaar.accounts.authz import system_actor
from weerbaar.accounts.models import User
from weerbaar.approach.models import Case, Intervention, InterventionStep, Notification, Referral
from weerbaar.audit.selectors import audit_verify
from weerbaar.demo_cases import PHASES, load_demo_cases
from weerbaar.governance.models import DataSubjectRequest, GeneratedFile, Restriction
from weerbaar.research.models import ContentAnswer, ContentRequest, PrivacyCheck1, Query, SourceApproval
from weerbaar.signals.demo_data import load_demo_data
from weerbaar.signals.models import Signal, Subject
from weerbaar.sources.demo_data import load_demo_sources
from weerbaar.sources.models import Mode, Source


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, int]]:
    from weerbaar.matching.services import build_all

    index = Path(tmp_path_factory.mktemp("demo-index"))
    with django_db_blocker.unblock(), override_settings(MATCHING_INDEX_DIR=str(index)), transaction.atomic():
        load_demo_data(signals=12)
        load_demo_sources(persons=400)
        build_all(acting=system_actor("matching-index", origin="test"), workers=1)
        counts = load_demo_cases()
        yield counts
        transaction.set_rollback(True)


def _ours() -> Any:
    """The signals load_demo_cases made: each went through privacy check 1 (steps 1-2 of the
    demo's other signals never reach it)."""
    return Signal.objects.filter(privacy_checks_1__isnull=False).distinct()


def test_signals_in_every_phase(demo: dict[str, int], db: Any) -> None:
    states = Counter(_ours().values_list("state", flat=True))
    research = sum(PHASES[p] for p in PHASES if p.startswith(("pc1_", "queried", "content_")))
    cases = sum(PHASES[p] for p in ("case_open", "case_2a", "case_meeting", "case_running"))
    assert states == {
        "research": research,
        "stopped": PHASES["w4_stop"],
        "department": PHASES["w4_department"],
        "riec": PHASES["w4_riec"],
        "case": cases,
        "case_closed": PHASES["case_closed"],
        "destroyed": PHASES["case_destroyed"],
    }
    assert demo["signals"] == sum(PHASES.values())


def test_privacy_check_1_requested_and_decided_with_refusals(demo: dict[str, int], db: Any) -> None:
    assert PrivacyCheck1.objects.filter(decided_at__isnull=True).count() == PHASES["pc1_requested"]
    refused = Counter(SourceApproval.objects.filter(outcome="refused").values_list("source__slug", flat=True))
    assert refused == {"vth": PHASES["pc1_decided"], "bibob": PHASES["pc1_decided"]}
    assert Source.objects.get(slug="bibob").mode == Mode.EXCLUDED
    assert all(a.reasons for a in SourceApproval.objects.filter(outcome="refused"))
    assert SourceApproval.objects.filter(outcome="approved", source__slug="woz").exists()  # hit/no-hit only


def test_queries_answer_hit_possible_and_no_hit(demo: dict[str, int], db: Any) -> None:
    statuses = Counter(Query.objects.values_list("status", flat=True))
    assert statuses["hit"] > 0 and statuses["possible"] > 0 and statuses["no-hit"] > 0
    assert not statuses["unavailable"], "the index of every approved source must be built"


def test_content_requests_waiting_approved_and_refused(demo: dict[str, int], db: Any) -> None:
    outcomes = Counter(ContentRequest.objects.values_list("decision__outcome", flat=True))
    # Every signal that reached W4 with a confirmation had its permit record approved first.
    confirmed = sum(PHASES[p] for p in PHASES if p.startswith("case_") or p in ("w4_department", "w4_riec"))
    assert outcomes == {
        None: PHASES["content_waiting"],
        "refused": PHASES["content_refused"],
        "approved": PHASES["content_approved"] + confirmed,
    }
    assert ContentAnswer.objects.count() == outcomes["approved"]
    requests = ContentRequest.objects.select_related("query__source")
    assert {r.query.source.slug for r in requests} == {"permits"}  # the bronhouder's own source


def test_cases_and_interventions_in_every_state(demo: dict[str, int], db: Any) -> None:
    assert Counter(Case.objects.values_list("track", "state")) == {
        ("meeting", "open"): PHASES["case_open"] + PHASES["case_2a"],
        ("riec", "open"): PHASES["w4_riec"],
        ("meeting", "plan"): PHASES["case_meeting"] + PHASES["case_running"],
        ("meeting", "closed"): PHASES["case_closed"],
        ("meeting", "destroyed"): PHASES["case_destroyed"],
    }
    open_cases = Case.objects.filter(state="open", track="meeting")
    assert open_cases.filter(share_matrices__isnull=True).count() == PHASES["case_open"]
    with_2a = Case.objects.filter(state="open", track="meeting", share_matrices__isnull=False).first()
    assert with_2a is not None
    participants = list(with_2a.participants.all())
    assert any(p.user_id for p in participants) and any(p.user_id is None and not p.is_riec for p in participants)
    assert any(p.is_riec for p in participants)
    states = Counter(Intervention.objects.values_list("state", flat=True))
    assert states == {
        "planned": 2 * PHASES["case_meeting"],
        "running": 5,  # a penalty order in each, a warned talk, an overdue report request, a RIEC referral
        "refused": PHASES["case_running"],
        "done": PHASES["case_closed"] + PHASES["case_destroyed"],
    }
    closure = Intervention.objects.filter(instrument__code="closure-13b", case__state="closed").first()
    assert closure is not None and closure.outcome == "effective"
    assert not closure.steps.filter(done_at__isnull=True).exists()
    assert closure.steps.count() == closure.instrument.steps.count()


def test_deadlines_warned_one_near_and_one_passed(demo: dict[str, int], db: Any) -> None:
    today = timezone.localdate()
    open_steps = InterventionStep.objects.filter(done_at__isnull=True, intervention__state="running")
    near = open_steps.filter(due_on__gte=today, due_on__lte=today + timedelta(days=7))
    passed = open_steps.filter(due_on__lt=today)
    assert near.count() == 1 and passed.count() == 1
    assert near.get().warned_at and passed.get().warned_at
    burgemeester = User.objects.get(username="burgemeester")
    assert Notification.objects.filter(user=burgemeester, read_at__isnull=True).count() == 2


def test_referrals_sent_with_feedback(demo: dict[str, int], db: Any) -> None:
    assert Counter(Referral.objects.values_list("status", flat=True)) == {"feedback": 1, "sent": 2}
    feedback = Referral.objects.get(status="feedback")
    assert list(feedback.events.values_list("status", flat=True)) == ["sent", "accepted", "feedback"]
    assert feedback.package and feedback.package["items"]
    assert Referral.objects.filter(intervention__instrument__code="riec-referral").exists()


def test_the_destroyed_cases_are_tombstones(demo: dict[str, int], db: Any) -> None:
    destroyed = _ours().filter(state="destroyed")
    assert destroyed.count() == PHASES["case_destroyed"]
    for signal in destroyed:
        assert signal.description is None and signal.destroyed_at is not None
        assert not Subject.objects.filter(signal=signal).exists()
        case = Case.objects.get(signal=signal)
        assert case.state == "destroyed" and case.destroyed_at is not None
        assert not Intervention.objects.filter(case=case, reasons__isnull=False).exists()
    # The closed cases in monitoring stay until their monitoring and retention have passed.
    for signal in _ours().filter(state="case_closed"):
        assert signal.destroy_after and signal.destroy_after > timezone.localdate()


def test_a_data_subject_request_answered_with_a_restriction(demo: dict[str, int], db: Any) -> None:
    answered = DataSubjectRequest.objects.get(status="answered")
    assert answered.kind == "access" and answered.handled_at is not None
    restriction = Restriction.objects.get(request=answered)
    assert restriction.withheld and restriction.ground == "uavg_41" and restriction.reasons
    assert restriction.item.startswith("approach.case:")
    assert GeneratedFile.objects.filter(request=answered, kind="access_report").exists()
    assert DataSubjectRequest.objects.filter(status="received").count() == 1


def test_loading_again_changes_nothing(demo: dict[str, int], db: Any) -> None:
    signals = Signal.objects.count()
    again = load_demo_cases()
    assert again["signals"] == 0
    assert Signal.objects.count() == signals
    assert {k: v for k, v in again.items() if k != "signals"} == {k: v for k, v in demo.items() if k != "signals"}


def test_the_audit_chain_still_verifies(demo: dict[str, int], db: Any) -> None:
    result = audit_verify()
    assert result.ok, result.message


def _one_per(rows: Any, key: str) -> list[Any]:
    """The first row of each value of ``key``: one page per phase is enough to show it opens."""
    seen: dict[Any, Any] = {}
    for row in rows:
        seen.setdefault(getattr(row, key), row)
    return list(seen.values())


def test_every_role_opens_its_part_of_the_demo(demo: dict[str, int], db: Any) -> None:
    """A newcomer's walk: each demo user's work queue and, one per phase, the pages of their step."""
    client = Client()
    pages: dict[str, list[str]] = {name: [reverse("signals:queue")] for name in USERS}
    signals = _one_per(_ours().order_by("id"), "state")
    pages["team"] += [reverse("signals:detail", args=[s.pk]) for s in signals]
    # Awaiting privacy check 1, decided, queried, a content request waiting, approved, refused.
    research = _ours().filter(state="research").order_by("id")[:: max(1, PHASES["pc1_requested"])]
    pages["team"] += [reverse("research:signal", args=[s.pk]) for s in research]
    # The privacyfunctionaris sees signals in research and in a case (signals.selectors.CHECK_STATES).
    checks = PrivacyCheck1.objects.filter(signal__state__in=["research", "case"]).order_by("id")[:3]
    pages["privacy"] += [reverse("research:pc1", args=[p.pk]) for p in checks]
    pages["privacy"] += [reverse("governance:request", args=[r.pk]) for r in DataSubjectRequest.objects.all()]
    contents = ContentRequest.objects.order_by("-id")
    pages["bronhouder"] += [reverse("research:content", args=[r.pk]) for r in contents[:4]]
    cases = Case.objects.order_by("id")
    pages["regisseur"] += [reverse("approach:cases"), *(reverse("approach:case", args=[c.pk]) for c in cases)]
    for name in ("team", "privacy", "bronhouder"):
        pages[name].append(reverse("research:tasks"))
    pages["privacy"] += [reverse("governance:requests"), reverse("governance:retention")]
    pages["regisseur"] += [reverse("approach:referral", args=[r.pk]) for r in Referral.objects.all()]
    pages["burgemeester"] += [reverse("approach:notifications")]
    pages["riec"] += [reverse("approach:case", args=[c.pk]) for c in Case.objects.filter(track="riec")]
    meeting = Case.objects.filter(meetings__isnull=False, state="plan").order_by("id").first()
    assert meeting is not None
    pages["handhaving"] += [reverse("approach:meeting", args=[meeting.pk])]
    failed = []
    for username, urls in pages.items():
        client.force_login(User.objects.get(username=username))
        for url in urls:
            status = client.get(url).status_code
            if status != 200:
                failed.append(f"{username} {url}: {status}")
    assert not failed, "\n".join(failed)
    # The warned deadlines are in the burgemeester's work queue, by case reference.
    client.force_login(User.objects.get(username="burgemeester"))
    queue = client.get(reverse("signals:queue")).content.decode()
    warned = Notification.objects.filter(user__username="burgemeester").select_related("case")
    assert warned and all(n.case and n.case.reference in queue for n in warned)


USERS = ["regisseur", "team", "privacy", "bronhouder", "vergunningen", "handhaving", "burgemeester", "riec"]
