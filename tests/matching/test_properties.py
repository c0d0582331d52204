# SPDX-License-Identifier: EUPL-1.2
"""Properties the matcher must keep for every input, not only for the examples someone thought of.

* Normalisation is idempotent: normalising a normalised value changes nothing, so a value stored
  normalised in an index compares equal to the same value normalised again at query time.
* Spelling variants of one value (prefix placement, postcode spacing, date forms, house-number
  additions, legal forms) land on one form.
* A record always hits itself, in any of its harmless spellings, through the index and through
  batch linkage: if it did not, nobody could ever be found.
* Adding unrelated people to the registry never turns a hit into a miss: a growing registry must
  not lose the people it already found.

The registry comes from the seeded generator in ``test_accuracy.py``; hypothesis draws who is
looked up, how it is spelt and what is added.
"""

from __future__ import annotations

import contextlib
import functools
import random
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.matching.test_accuracy import Resident, make_registry, make_subjects, unrelated_residents
from weerbaar.matching import index, linkage, model
from weerbaar.matching.normalise import (
    city,
    company_name,
    fold,
    house_number,
    kvk_number,
    national_id,
    parse_date,
    postcode,
    street,
    surname,
)
from weerbaar.matching.records import Record, normalise_row

FAST = settings(max_examples=100, deadline=None)
#: Building an index or running EM per example costs tens of milliseconds: fewer examples.
SLOW = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Normalisation: idempotent --------------------------------------------------------------------


@FAST
@given(st.text())
def test_fold_is_idempotent_and_plain(text: str) -> None:
    """The folded form holds only a–z, digits and single spaces, and no 'ij' (it is written 'y')."""
    once = fold(text)
    assert fold(once) == once
    assert re.fullmatch(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?", once)
    assert "ij" not in once


@FAST
@given(st.text())
def test_postcode_is_idempotent(text: str) -> None:
    once = postcode(text)
    assert postcode(once) == once
    assert re.fullmatch(r"[0-9A-Z]*", once)


@FAST
@given(st.text())
def test_street_is_idempotent(text: str) -> None:
    assert street(street(text)) == street(text)


_STREET_WORDS = st.sampled_from(
    ["Burg.", "Burgemeester", "Pr.", "Prins", "Wethr.", "St.", "Sint", "Gr.", "Kon.", "v.", "van", "de", "Dr.",
     "Kerkstr.", "Kerkstraat", "Jansenln", "Hendriklaan", "Marktpln", "Stationswg", "Oudegr", "IJsselkade", "str",
     "ln", "Lange", "Kockstr", "Julianapln", "Molenweg", "Singel", "Sgl", "Kd", "Kade"]
)  # fmt: skip


@FAST
@given(st.lists(_STREET_WORDS, min_size=1, max_size=5).map(" ".join))
def test_street_is_idempotent_on_street_like_names(text: str) -> None:
    """Random text rarely holds an abbreviation; street-like words hold nothing else."""
    assert street(street(text)) == street(text)


@FAST
@given(st.text())
def test_city_is_idempotent(text: str) -> None:
    assume(not fold(text).startswith("s s "))  # a doubled 's: see test_city_with_a_doubled_s below
    assert city(city(text)) == city(text)


def test_city_with_a_doubled_s() -> None:
    assert city(city("'s 's-Gravenhage")) == city("'s 's-Gravenhage")


@FAST
@given(st.text())
def test_identifiers_are_idempotent(text: str) -> None:
    assert national_id(national_id(text)) == national_id(text)
    assert kvk_number(kvk_number(text)) == kvk_number(text)


# Normalisation: spelling variants land on one form ---------------------------------------------

_PREFIXES = ["", "van", "de", "van der", "van den", "van de", "ter", "ten", "in 't", "van 't", "de la", "het", "op de"]
_NOT_A_CORE_WORD = {
    "van", "de", "der", "den", "het", "t", "te", "ten", "ter", "la", "le", "du", "da", "dos", "del", "el", "al", "in",
    "op", "uit", "uijt", "uyt", "aan", "bij", "by", "onder", "over", "voor", "von", "vom", "los", "vd", "vdr", "s",
}  # fmt: skip
_CORE_WORD = st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True).filter(lambda w: fold(w) not in _NOT_A_CORE_WORD)


@FAST
@given(st.sampled_from(_PREFIXES), st.lists(_CORE_WORD, min_size=1, max_size=2).map(" ".join))
def test_every_placement_of_a_prefix_gives_one_surname(prefix: str, core: str) -> None:
    """Column, inside the name, reversed with a comma, in capitals: one prefix and one core."""
    split = surname(prefix, core)
    spellings = [
        (None, f"{prefix} {core}"),
        (None, f"{prefix.upper()} {core.upper()}"),
        (prefix.title(), core),
        ("", f"{core}, {prefix}" if prefix else core),
    ]
    for spelt in spellings:
        assert surname(*spelt) == split, spelt
    assert split.core == fold(core)
    assert surname(None, split.core).core == split.core, "the core must not lose a word when split again"
    # Glued onto the name (Vanderberg): stays whole, compares by .glued. Only the prefix is glued: gluing
    # the words of a double name could make a new "ij" at the join (Aai|Jaa), which no clerk writes.
    glued = prefix.replace(" ", "").replace("'", "") + core
    assert surname(None, glued).glued == split.glued


@FAST
@given(
    st.integers(1000, 9999),
    st.text(alphabet="ABCDEFGHJKLMNPRSTVWXZ", min_size=2, max_size=2),
    st.sampled_from(["{d}{l}", "{d} {l}", "{d}  {l}", " {d}{l} ", "{d}-{l}"]),
    st.booleans(),
)
def test_postcode_spacing_and_case(digits: int, letters: str, form: str, lower: bool) -> None:
    written = form.format(d=digits, l=letters.lower() if lower else letters)
    assert postcode(written) == f"{digits}{letters}"


@FAST
@given(
    st.integers(1, 9999),
    st.one_of(st.text(alphabet="abcdefghjkABCDEFGHJK", min_size=1, max_size=1), st.sampled_from(["1", "2", "bis"])),
)
def test_house_number_addition_forms(number: int, addition: str) -> None:
    """12A, 12a, 12-a, 12 a and (12, A) are one dwelling."""
    expected = (number, addition.lower())
    spellings = [
        (f"{number}-{addition}", None),
        (f"{number} {addition}", None),
        (str(number), addition),
        (str(number), f"-{addition}"),
        (f" {number} ", f" {addition.upper()} "),
    ]
    if not addition.isdigit():  # "121" is house number 121, not 12-1
        spellings.append((f"{number}{addition}", None))
    for spelt in spellings:
        assert house_number(*spelt) == expected, spelt


@FAST
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)))
def test_every_written_date_form_parses(day: date) -> None:
    y, m, d = day.year, day.month, day.day
    forms = [f"{y:04d}-{m:02d}-{d:02d}", f"{y}{m:02d}{d:02d}", f"{d:02d}-{m:02d}-{y}", f"{d}-{m}-{y}",
             f"{d:02d}/{m:02d}/{y}", f"{d:02d}.{m:02d}.{y}", f"{y}/{m:02d}/{d:02d}", f"{y}{m:02d}{d:02d}.0",
             f"{y:04d}-{m:02d}-{d:02d} 12:00:00", f"{y:04d}-{m:02d}-{d:02d}T00:00:00"]  # fmt: skip
    for form in forms:
        assert parse_date(form) == (y, m, d), form


@FAST
@given(st.integers(1900, 2030), st.integers(1, 12), st.integers(29, 31))
def test_an_impossible_date_is_absent(year: int, month: int, day: int) -> None:
    """An impossible date is treated as absent, never repaired into another day."""
    try:
        date(year, month, day)
    except ValueError:
        assert parse_date(f"{year:04d}-{month:02d}-{day:02d}") is None
        assert parse_date(f"{day:02d}-{month:02d}-{year}") is None
    else:
        assert parse_date(f"{year:04d}-{month:02d}-{day:02d}") == (year, month, day)


@FAST
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from(["", " ", ".", "-"]))
def test_national_id_separators(value: str, separator: str) -> None:
    assume(not (separator == "." and value.endswith("000")))  # known bug: see test_identifier_with_zero_group
    written = separator.join((value[:4], value[4:6], value[6:]))
    assert national_id(written) == value


_NOT_A_COMPANY_WORD = {
    "holding", "beheer", "groep", "group", "en", "the", "de", "het", "in", "io", "ua", "bv", "nv", "vof", "cv", "ltd",
    "gmbh", "stichting", "vereniging", "cooperatie", "maatschap", "eenmanszaak",
}  # fmt: skip
_COMPANY_WORD = st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True).filter(lambda w: fold(w) not in _NOT_A_COMPANY_WORD)


@FAST
@given(
    st.lists(_COMPANY_WORD, min_size=1, max_size=3).map(" ".join),
    st.sampled_from(["", " B.V.", " BV", " bv", " B.V", " Holding B.V.", " Beheer BV", " Holding"]),
    st.booleans(),
)
def test_company_core_ignores_legal_form_and_filler(name: str, suffix: str, capitals: bool) -> None:
    """Bakkerij Jansen, Bakkerij Jansen B.V. and BAKKERIJ JANSEN HOLDING BV share one core, stable on re-use."""
    written = (name + suffix).upper() if capitals else name + suffix
    core = company_name(written).core
    assert core == fold(name)
    assert company_name(core).core == core


# A record always hits itself --------------------------------------------------------------------

REGISTRY: list[Resident] = make_registry(seed=11, size=300)


def test_the_registry_has_no_identical_twin() -> None:
    """The self-hit property holds only without an identical twin record (same name, dob and dwelling)."""
    assert len({p.identity() for p in REGISTRY}) == len(REGISTRY)
    assert any(p.role for p in REGISTRY), "the junior/senior pair must be in it: it is the hardest self-hit"


@st.composite
def respelt(draw: st.DrawFn) -> tuple[Resident, dict[str, str]]:
    """A registry person written as another department might write them: same person, other spelling.

    Given names keep their case: ELS in capitals is read as initials (see test_normalise.py).
    """
    person = draw(st.sampled_from(REGISTRY))
    row = person.row(bsn=draw(st.booleans()))
    y, m, d = person.dob
    forms = [f"{y:04d}-{m:02d}-{d:02d}", f"{d:02d}-{m:02d}-{y}", f"{y}{m:02d}{d:02d}", f"{d}/{m}/{y}", f"{d}.{m}.{y}"]
    row["date_of_birth"] = draw(st.sampled_from(forms))
    pc = person.postcode
    row["postcode"] = draw(st.sampled_from([pc, f"{pc[:4]} {pc[4:]}", pc.lower(), f" {pc[:4]} {pc[4:].lower()} "]))
    placement = draw(st.sampled_from(["column", "inside", "reversed"]))
    if person.prefix and placement == "inside":
        row["surname_prefix"], row["surname"] = "", f"{person.prefix} {person.surname}"
    elif person.prefix and placement == "reversed":
        row["surname_prefix"], row["surname"] = "", f"{person.surname}, {person.prefix}"
    if draw(st.booleans()):
        row["surname"], row["street"], row["city"] = row["surname"].upper(), row["street"].upper(), row["city"].upper()
    if person.addition and draw(st.booleans()):
        joiner = draw(st.sampled_from(["-", " "] if person.addition.isdigit() else ["", "-", " "]))  # 2041 ≠ 204-1
        row["house_number"], row["house_number_addition"] = f"{person.number}{joiner}{person.addition}", ""
    return person, row


@pytest.fixture(scope="module")
def segment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[index.Segment]:
    path = tmp_path_factory.mktemp("segment") / "persons.sqlite"
    index.build_segment(path, "person", ((i, p.pid, p.row()) for i, p in enumerate(REGISTRY)))
    opened = index.Segment(path)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def right() -> list[Record]:
    return [normalise_row("person", p.row()) for p in REGISTRY]


@contextlib.contextmanager
def quick_u() -> Iterator[None]:
    """Batch linkage samples 100,000 random pairs for u on every call (≈0.5 s); inside this block it
    samples 20 per registry record, as the index does for a registry of this size. The properties
    do not depend on how precisely u is known, and a hundred calls stay fast."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(linkage, "estimate_u", functools.partial(model.estimate_u, pairs=20 * len(REGISTRY)))
        yield


@FAST
@given(respelt())
def test_a_record_hits_itself_in_the_index(segment: index.Segment, drawn: tuple[Resident, dict[str, str]]) -> None:
    person, row = drawn
    reference = normalise_row("person", person.row())
    subject = normalise_row("person", row)
    assert subject.given == reference.given and subject.surname_core == reference.surname_core
    assert subject.dob == reference.dob and subject.address == reference.address
    decision = segment.query("person", row).decision
    assert decision.status == "hit", (row, decision.reason)
    assert decision.best is not None and decision.best.ext_id == person.pid


@settings(max_examples=25, deadline=None)
@given(respelt())
def test_a_record_hits_itself_in_batch_linkage(right: list[Record], drawn: tuple[Resident, dict[str, str]]) -> None:
    person, row = drawn
    with quick_u():
        results, _model = linkage.link("person", [normalise_row("person", row)], right)
    decision = results[0].decision
    assert decision.status == "hit", (row, decision.reason)
    assert decision.best is not None and decision.best.ext_id == person.pid


@pytest.mark.parametrize("with_bsn", [True, False])
def test_every_record_hits_itself_when_the_registry_is_linked_to_itself(with_bsn: bool, right: list[Record]) -> None:
    """All at once and with the production u, so that EM really trains (one subject gives it too few pairs)."""
    left = [normalise_row("person", p.row(bsn=with_bsn)) for p in REGISTRY]
    results, _model = linkage.link("person", left, right)
    missed = [
        (r.left_id, r.decision.status, r.decision.reason)
        for r in results
        if r.decision.status != "hit" or r.decision.best is None or r.decision.best.ext_id != r.left_id
    ]
    assert not missed


def _twins(registry: list[Resident]) -> tuple[list[Resident], Resident, Resident]:
    """Twins: same surname, date of birth and dwelling, different given names (not identical twin records)."""
    base = next(p for p in registry if not p.role)
    other = "Pieter" if base.given[0] != "Pieter" else "Anna"
    twin = Resident(
        "T00001", (other,), base.prefix, base.surname, base.dob, base.street, base.number, base.addition, base.postcode,
        base.city, "123456782", base.household,
    )  # fmt: skip
    return [*registry, twin], base, twin


def test_twins_with_different_names_each_hit_themselves(tmp_path: Path) -> None:
    registry, first, second = _twins(REGISTRY)
    path = tmp_path / "twins.sqlite"
    index.build_segment(path, "person", ((i, p.pid, p.row()) for i, p in enumerate(registry)))
    segment = index.Segment(path)
    right = [normalise_row("person", p.row()) for p in registry]
    left = [normalise_row("person", p.row(bsn=False)) for p in registry]
    results = {r.left_id: r.decision for r in linkage.link("person", left, right)[0]}
    try:
        for twin in (first, second):
            online = segment.query("person", twin.row(bsn=False)).decision
            assert online.status == "hit" and online.best is not None and online.best.ext_id == twin.pid
            batch = results[twin.pid]
            assert batch.status == "hit" and batch.best is not None and batch.best.ext_id == twin.pid, batch.reason
    finally:
        segment.close()


def test_an_identical_twin_record_is_never_a_hit(tmp_path: Path) -> None:
    """Two records with the same name, dob and dwelling (and no BSN to tell them apart): a human decides."""
    person = REGISTRY[0]
    double = Resident(**{**person.__dict__, "pid": "D00001", "bsn": "123456782"})
    registry = [*REGISTRY, double]
    path = tmp_path / "double.sqlite"
    index.build_segment(path, "person", ((i, p.pid, p.row()) for i, p in enumerate(registry)))
    segment = index.Segment(path)
    try:
        decision = segment.query("person", person.row(bsn=False)).decision
    finally:
        segment.close()
    assert decision.status == "possible"
    assert {c.ext_id for c in decision.candidates} >= {person.pid, double.pid}


# Adding unrelated records never turns a hit into a miss ------------------------------------------

SUBJECTS = make_subjects(REGISTRY, seed=5)


@pytest.fixture(scope="module")
def hits_before(segment: index.Segment) -> dict[int, str]:
    """Which subjects the registry alone answers with a hit, and with whom."""
    found = {}
    for position, subject in enumerate(SUBJECTS):
        decision = segment.query("person", subject.row).decision
        if decision.status == "hit" and decision.best is not None:
            found[position] = decision.best.ext_id
    assert len(found) >= 150, "too few hits to say anything"
    return found


@SLOW
@given(st.integers(1, 600), st.integers(0, 2**32))
def test_unrelated_records_never_turn_a_hit_into_a_miss_in_the_index(
    hits_before: dict[int, str], count: int, seed: int
) -> None:
    extra = unrelated_residents(random.Random(seed), count, REGISTRY)
    registry = REGISTRY + extra
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "grown.sqlite"
        index.build_segment(path, "person", ((i, p.pid, p.row()) for i, p in enumerate(registry)))
        segment = index.Segment(path)
        try:
            lost = {}
            for position, pid in hits_before.items():
                decision = segment.query("person", SUBJECTS[position].row).decision
                now = decision.best.ext_id if decision.status == "hit" and decision.best else decision.status
                if now != pid:
                    lost[position] = (SUBJECTS[position].kind, SUBJECTS[position].row, pid, now, decision.reason)
        finally:
            segment.close()
    assert not lost, f"{len(lost)} hits lost after adding {count} unrelated records: {list(lost.values())[:3]}"


@pytest.fixture(scope="module")
def linked_before(right: list[Record]) -> dict[int, str]:
    left = [normalise_row("person", s.row) for s in SUBJECTS]
    with quick_u():
        results, _model = linkage.link("person", left, right)
    found = {i: r.decision.best.ext_id for i, r in enumerate(results) if r.decision.status == "hit" and r.decision.best}
    assert len(found) >= 150, "too few hits to say anything"
    return found


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 600), st.integers(0, 2**32))
def test_unrelated_records_never_turn_a_hit_into_a_miss_in_batch_linkage(
    linked_before: dict[int, str], count: int, seed: int
) -> None:
    """EM re-estimates m on the grown candidate set; the people it found must stay found."""
    extra = unrelated_residents(random.Random(seed), count, REGISTRY)
    right = [normalise_row("person", p.row()) for p in REGISTRY + extra]
    left = [normalise_row("person", s.row) for s in SUBJECTS]
    with quick_u():
        results, _model = linkage.link("person", left, right)
    lost = {}
    for position, pid in linked_before.items():
        decision = results[position].decision
        now = decision.best.ext_id if decision.status == "hit" and decision.best else decision.status
        if now != pid:
            lost[position] = (SUBJECTS[position].kind, SUBJECTS[position].row, pid, now, decision.reason)
    assert not lost, f"{len(lost)} hits lost after adding {count} unrelated records: {list(lost.values())[:3]}"


@pytest.mark.xfail(
    strict=True, reason="EM re-estimation after adding unrelated records moves a household case across the lead bound"
)
def test_unrelated_records_keep_a_household_hit_in_batch_linkage() -> None:
    """The property above, on the registry where hypothesis found a counterexample; production u, no patch.

    Subject "Sophie Anouk de Groot" without a date of birth, at the dwelling 2570VV 61 of R00007
    Sophie Anouk de Groot and of R00008 Anouk Elisabeth de Groot (her first given name is Sophie's
    second, so the given names compare as "similar"): a hit on R00007 with the registry alone,
    ``possible`` ("several candidates are about equally likely": ≈14.1 against ≈7.8 bits, a lead
    just under 0.99) after 600 unrelated records are added, because EM then weighs "same dwelling"
    and "similar given name" a little differently. The lead sits at the bound either way.
    """
    registry = make_registry(seed=8, size=300)
    subjects = make_subjects(registry, seed=5)
    position = next(i for i, s in enumerate(subjects) if s.kind == "missing dob" and s.truth == "R00007")
    left = [normalise_row("person", s.row) for s in subjects]
    right = [normalise_row("person", p.row()) for p in registry]
    before = linkage.link("person", left, right)[0][position].decision
    assert before.status == "hit" and before.best is not None and before.best.ext_id == "R00007", "precondition"
    grown = right + [normalise_row("person", p.row()) for p in unrelated_residents(random.Random(1), 600, registry)]
    after = linkage.link("person", left, grown)[0][position].decision
    assert after.status == "hit", after.reason


def test_unrelated_records_are_unrelated() -> None:
    """The generator's promise the two properties above rely on: other surname, dob and postcode."""
    extra = unrelated_residents(random.Random(3), 500, REGISTRY)
    assert not {p.surname for p in extra} & {p.surname for p in REGISTRY}
    assert not {p.dob for p in extra} & {p.dob for p in REGISTRY}
    assert not {p.postcode for p in extra} & {p.postcode for p in REGISTRY}
