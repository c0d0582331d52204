# SPDX-License-Identifier: EUPL-1.2
"""From weighed candidates to one answer: ``hit``, ``possible`` or ``no-hit``, with its reasons.

A *hit* needs three things at once: a high probability (the evidence), a clear lead over every
other candidate (so a father and son with the same name at one address, or two household
members, never become a hit for each other), and agreement on something that identifies a person
beyond the name (a date of birth, a dwelling, a national id). Without all three a human must look
(``possible``) or nothing is there (``no-hit``). No person is ever decided about automatically:
a hit only says where a human may ask for content.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from weerbaar.matching.compare import COMPARISONS, MISSING

HIT = "hit"
POSSIBLE = "possible"
NO_HIT = "no-hit"

#: Posterior probability above which the best candidate can be a hit.
T_HIT = 0.99
#: Posterior probability above which a candidate is worth a human look.
T_POSSIBLE = 0.5
#: Share of the evidence the best candidate must hold against all other candidates together.
T_LEAD = 0.99


@dataclass
class Candidate:
    """One weighed pair. ``ref`` is the reference record's position (in a list or an index)."""

    ref: int
    ext_id: str
    bits: float
    probability: float
    levels: tuple[int, ...]
    parts: list[float]
    group: Hashable = None


@dataclass
class Decision:
    status: str
    best: Candidate | None = None
    #: Candidates a human should look at (for ``possible``), best first.
    candidates: list[Candidate] = field(default_factory=list)
    reason: str = ""


def identifying(kind: str, levels: Sequence[int], parts: Sequence[float]) -> bool:
    """Whether the agreement goes beyond a name: what a hit needs besides a high probability.

    For a person the fields other than the name (date of birth, dwelling, place, national id)
    must together speak for the match and at least one of the date of birth, the dwelling or the
    national id must agree, so that a rare name alone never makes a hit; and a different given
    name is accepted only when the national id or the date of birth agrees, so a household member
    (same surname and address, other given name) is never a hit for another.
    """
    if kind == "person":
        given, _surname, dob, address, _city, national_id = levels
        born = dob in (0, 1)
        known = national_id in (0, 1)
        if given == 4 and not (known or born):
            return False
        return sum(parts[2:]) > 0 and (born or known or address in (0, 1))
    if kind == "company":
        kvk, trade_name, address, _city = levels
        return kvk == 0 or (trade_name in (0, 1) and address in (0, 1))
    address, _city = levels
    return address == 0


def decide(kind: str, scored: Sequence[Candidate], *, grouped: bool = False) -> Decision:
    """The answer for one query record over its weighed candidates."""
    if not scored:
        return Decision(NO_HIT, reason="no candidate shares a block with the subject")
    ranked = sorted(scored, key=lambda c: c.bits, reverse=True)
    if grouped:
        # Several records of one source about the same person compete as one (e.g. three permits).
        seen: set[Hashable] = set()
        unique = []
        for candidate in ranked:
            if candidate.group in seen:
                continue
            seen.add(candidate.group)
            unique.append(candidate)
        ranked = unique
    best = ranked[0]
    if best.probability < T_POSSIBLE:
        return Decision(NO_HIT, reason="no candidate is probable enough")
    lead = _lead(ranked)
    worth_a_look = [c for c in ranked if c.probability >= T_POSSIBLE][:10]
    if best.probability >= T_HIT and lead >= T_LEAD and identifying(kind, best.levels, best.parts):
        return Decision(HIT, best=best, candidates=[best], reason="one clear candidate")
    if lead < T_LEAD:
        reason = "several candidates are about equally likely"
    elif not identifying(kind, best.levels, best.parts):
        reason = "too little beyond the name agrees to identify"
    else:
        reason = "the evidence is not strong enough for a hit"
    return Decision(POSSIBLE, best=best, candidates=worth_a_look, reason=reason)


def _lead(ranked: Sequence[Candidate]) -> float:
    top = ranked[0].bits
    total = sum(2.0 ** max(c.bits - top, -200) for c in ranked)
    return 1.0 / total if total else 1.0


def explain(kind: str, candidate: Candidate) -> str:
    """Which fields agreed and disagreed, with their weight in bits: ``surname=exact(+12.3)``."""
    parts = []
    for comparison, level, bits in zip(COMPARISONS[kind], candidate.levels, candidate.parts, strict=True):
        if level == MISSING:
            parts.append(f"{comparison.name}=missing")
        else:
            parts.append(f"{comparison.name}={comparison.levels[level]}({bits:+.1f})")
    return "; ".join(parts)
