# SPDX-License-Identifier: EUPL-1.2
"""Step 3 through the real services, for tests of research and of matching (which needs an
approved privacy check 1 before a person may ask hit/no-hit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tests.conftest import actor
from weerbaar.research import services
from weerbaar.research.models import PrivacyCheck1

#: Every text of the assessment, as approving a source requires.
ASSESSMENT: dict[str, Any] = {
    "legal_basis": "Wettelijke taak van het college (art. 160 Gemeentewet).",
    "compatibility": {
        "link": "Handhaving openbare orde sluit aan bij het oorspronkelijke doel.",
        "context": "Gegevens verzameld door de gemeente zelf.",
        "nature": "Geen bijzondere of strafrechtelijke gegevens (art. 9/10 AVG).",
        "consequences": "Alleen hit/no-hit; inhoud pas na goedkeuring.",
        "safeguards": "Versleuteld, gelogd, need-to-know.",
    },
    "necessity": "Nodig om het signaal te toetsen.",
    "proportionality": "Beperkt tot de betrokkenen van het signaal.",
    "subsidiarity": "Geen minder ingrijpend middel beschikbaar.",
    "minimisation": "Alleen de velden die nodig zijn.",
}


def request_pc1(users: Mapping[str, Any], signal_id: int, slugs: Sequence[str]) -> PrivacyCheck1:
    return services.pc1_request(
        acting=actor(users["ondermijningsteam"], "ondermijningsteam"),
        signal_id=signal_id,
        source_slugs=list(slugs),
        reasons="Toetsen of de betrokkene bekend is bij de bronnen.",
    )


def decide_pc1(
    users: Mapping[str, Any], pc1: PrivacyCheck1, outcomes: Mapping[str, str], supersedes: int | None = None
) -> PrivacyCheck1:
    return services.pc1_decide(
        acting=actor(users["privacyfunctionaris"], "privacyfunctionaris"),
        pc1_id=pc1.pk,
        decisions=[
            services.SourceDecision(
                source=slug,
                outcome=outcome,
                reasons=f"Besluit over {slug}.",
                assessment=ASSESSMENT if outcome == "approved" else {},
                supersedes=supersedes,
            )
            for slug, outcome in outcomes.items()
        ],
    )


def approve_sources(users: Mapping[str, Any], signal_id: int, slugs: Sequence[str]) -> PrivacyCheck1:
    """Privacy check 1 requested by the team and approved for every one of ``slugs``."""
    pc1 = request_pc1(users, signal_id, slugs)
    return decide_pc1(users, pc1, dict.fromkeys(slugs, "approved"))


def research_reference(users: Mapping[str, Any], new_signal: Any, slugs: Sequence[str]) -> str:
    """A signal in source research whose privacy check 1 approves ``slugs``; its reference."""
    signal = new_signal("research")
    approve_sources(users, signal.pk, slugs)
    return str(signal.reference)
