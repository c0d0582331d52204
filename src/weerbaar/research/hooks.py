# SPDX-License-Identifier: EUPL-1.2
"""How step 3 joins a signal's life through ``signals.hooks`` (registered in ``apps.ready``).

* the **timeline provider** adds privacy check 1 (requests, decisions per source), the query runs
  (counts per status, never which subject hit where beyond that), content requests and decisions,
  and W4; reasons only for readers with the full view of the signal;
* the **action provider** offers the next step the reader may take;
* the **queue provider** lists open privacy checks (privacyfunctionaris), open content requests
  for the department's sources (source owner) and approved answers to read (team);
* the **destroyer** removes the step's content when retention destroys the signal.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.accounts.authz import has_perm
from weerbaar.accounts.permissions import Perm
from weerbaar.research import selectors
from weerbaar.research.forms import field_label
from weerbaar.research.models import (
    W4,
    ContentAnswer,
    ContentDecision,
    ContentRequest,
    Outcome,
    PrivacyCheck1,
    Query,
    QueryStatus,
    SourceApproval,
    W4Outcome,
)
from weerbaar.signals.hooks import Action, QueueRow, QueueSection, TimelineEntry
from weerbaar.signals.selectors import ViewLevel
from weerbaar.signals.states import State


def _labels(fields: Any) -> str:
    """Field codes ("date", "summary") as the Dutch labels the forms show ("Datum, Samenvatting")."""
    return ", ".join(field_label(str(f)) for f in fields or [])


def _level(user: Any, signal: Any) -> str:
    level = getattr(signal, "view_level", None)
    if level is None:
        from weerbaar.signals.selectors import view_level

        level = view_level(user, signal)
    return str(level)


def timeline(user: Any, signal: Any) -> list[TimelineEntry]:
    """The research entries of a signal's timeline. A reporter following their own report sees
    none (the state changes are on the timeline already); reasons need the full view."""
    level = _level(user, signal)
    if level == ViewLevel.REPORTER:
        return []
    full = level == ViewLevel.FULL
    step = _("Source research")
    page = reverse("research:signal", args=[signal.pk]) if selectors.reader_role(user) else ""
    entries: list[TimelineEntry] = []
    for pc1 in PrivacyCheck1.objects.filter(signal=signal).prefetch_related("requested_sources"):
        entries.append(
            TimelineEntry(
                at=pc1.at,
                title=_("Privacy check 1 requested"),
                actor_label=pc1.actor_label,
                role=pc1.role,
                reasons=pc1.reasons if full else None,
                rows=[(_("Sources"), ", ".join(s.name for s in pc1.requested_sources.all()))],
                url=page,
                step=step,
            )
        )
    for decision in SourceApproval.objects.filter(pc1__signal=signal).select_related("source"):
        title = (
            _("Privacy check 1: %(source)s approved")
            if decision.outcome == Outcome.APPROVED
            else _("Privacy check 1: %(source)s refused")
        ) % {"source": decision.source.name}
        if decision.supersedes_id:
            title += " " + _("(correction)")
        entries.append(
            TimelineEntry(
                at=decision.at,
                title=title,
                actor_label=decision.actor_label,
                role=decision.role,
                reasons=decision.reasons if full else None,
                url=page,
                step=step,
            )
        )
    runs: dict[int, list[Query]] = {}
    for query in Query.objects.filter(signal=signal).order_by("run", "id"):
        runs.setdefault(query.run, []).append(query)
    for run, queries in runs.items():
        counts = Counter(q.status for q in queries)
        entries.append(
            TimelineEntry(
                at=queries[0].at,
                title=_("Hit/no-hit queries (run %d)") % run,
                actor_label=queries[0].actor_label,
                role=queries[0].role,
                rows=[
                    (str(QueryStatus(status).label), str(counts[status]))
                    for status in QueryStatus.values
                    if counts[status]
                ],
                url=page,
                step=step,
            )
        )
    for request in ContentRequest.objects.filter(query__signal=signal).select_related("query__source"):
        entries.append(
            TimelineEntry(
                at=request.at,
                title=_("Content requested from %s") % request.query.source.name,
                actor_label=request.actor_label,
                role=request.role,
                reasons=request.reasons if full else None,
                rows=[(_("Fields"), _labels(request.requested_fields))],
                url=page,
                step=step,
            )
        )
    for answered in ContentDecision.objects.filter(request__query__signal=signal).select_related(
        "request__query__source"
    ):
        source = answered.request.query.source.name
        approved = answered.outcome == Outcome.APPROVED
        entries.append(
            TimelineEntry(
                at=answered.at,
                title=(_("Content request approved by %s") if approved else _("Content request refused by %s"))
                % source,
                actor_label=answered.actor_label,
                role=answered.role,
                reasons=answered.reasons if full else None,
                rows=[(_("Fields"), _labels(answered.approved_fields))] if approved else [],
                url=page,
                step=step,
            )
        )
    for w4 in W4.objects.filter(signal=signal).prefetch_related("departments"):
        rows = [(_("Hits confirm the signal"), _("yes") if w4.confirmed else _("no"))]
        if w4.outcome == W4Outcome.DEPARTMENT:
            rows.append((_("Departments"), ", ".join(d.name for d in w4.departments.all())))
        entries.append(
            TimelineEntry(
                at=w4.at,
                title=_("W4: %s") % W4Outcome(w4.outcome).label,
                actor_label=w4.actor_label,
                role=w4.role,
                # the reasons are on the status change W4 made (the same timeline): shown once, there
                reasons=w4.reasons if full and not w4.status_change_id else None,
                rows=rows,
                url=page,
                step=step,
            )
        )
    return entries


def actions(user: Any, signal: Any) -> list[Action]:
    """Buttons for the next step of source research that this reader may take."""
    if signal.state != State.RESEARCH or selectors.reader_role(user) is None:
        return []
    found: list[Action] = []
    full = _level(user, signal) == ViewLevel.FULL
    if has_perm(user, Perm.PC1_DECIDE):
        for pc1 in PrivacyCheck1.objects.filter(signal=signal, decided_at__isnull=True).order_by("at", "id"):
            found.append(Action(_("Decide privacy check 1"), reverse("research:pc1", args=[pc1.pk]), primary=True))
    if full:
        page = reverse("research:signal", args=[signal.pk])
        approved = selectors.current_approvals(signal.pk).exists()
        ran = Query.objects.filter(signal=signal).exists()
        if has_perm(user, Perm.PC1_REQUEST):
            found.append(Action(_("Request privacy check 1"), reverse("research:pc1_request", args=[signal.pk])))
        if approved and has_perm(user, Perm.QUERY_RUN):
            found.append(Action(_("Run hit/no-hit queries"), page + "#queries", primary=not ran))
        if has_perm(user, Perm.W4_DECIDE):
            found.append(Action(_("Decide W4"), reverse("research:w4", args=[signal.pk]), primary=ran))
    found.append(Action(_("Source research"), reverse("research:signal", args=[signal.pk])))
    return found


def queue(user: Any) -> list[QueueSection]:
    """The work queue's research sections (content-free: references, sources and fields)."""
    sections = []
    checks = selectors.open_pc1s(user)
    sections.append(
        QueueSection(
            title=_("Privacy check 1 to decide"),
            rows=[
                QueueRow(
                    reference=pc1.signal.reference,
                    url=reverse("research:pc1", args=[pc1.pk]),
                    text=ngettext("%d source requested", "%d sources requested", n) % n,
                )
                for pc1 in checks[:50]
                for n in [len(pc1.requested_sources.all())]
            ],
            count=checks.count(),
        )
    )
    requests = selectors.owner_requests(user)
    sections.append(
        QueueSection(
            title=_("Content requests for your sources"),
            rows=[
                QueueRow(
                    reference=r.query.signal.reference,
                    url=reverse("research:content", args=[r.pk]),
                    text=f"{r.query.source.name}: {_labels(r.requested_fields)}",
                )
                for r in requests[:50]
            ],
            count=requests.count(),
        )
    )
    answers = selectors.answers_to_read(user)
    sections.append(
        QueueSection(
            title=_("Content answers to read"),
            rows=[
                QueueRow(
                    reference=d.request.query.signal.reference,
                    url=reverse("research:answer", args=[d.request_id]),
                    text=f"{d.request.query.source.name}: {_labels(d.approved_fields)}",
                )
                for d in answers[:50]
            ],
            count=answers.count(),
        )
    )
    return sections


def destroy(signal_id: int) -> list[str]:
    """Retention: null every text and content of step 3 for the signal; statuses, outcomes,
    fields named and dates stay as the tombstone. No files."""
    PrivacyCheck1.objects.filter(signal_id=signal_id).update(reasons=None)
    SourceApproval.objects.filter(pc1__signal_id=signal_id).update(reasons=None, assessment=None)
    Query.objects.filter(signal_id=signal_id).update(reasons=None, matched_records=None)
    ContentRequest.objects.filter(query__signal_id=signal_id).update(reasons=None)
    ContentDecision.objects.filter(request__query__signal_id=signal_id).update(reasons=None)
    ContentAnswer.objects.filter(decision__request__query__signal_id=signal_id).update(content=None)
    W4.objects.filter(signal_id=signal_id).update(reasons=None)
    return []
