# SPDX-License-Identifier: EUPL-1.2
"""Every Dutch normalisation rule, one table row per spelling a municipal file really contains.

The matcher compares normalised values only, so a spelling that normalises wrongly is a person
who is silently missed (or worse, merged with someone else). Each table states the variants that
must land on one form; ``xfail(strict=True)`` rows are known bugs, kept here so the fix is seen.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from weerbaar.matching.compare import PERSON
from weerbaar.matching.normalise import (
    CompanyName,
    GivenNames,
    Surname,
    city,
    company_name,
    digits,
    fold,
    given_names,
    house_number,
    kvk_number,
    national_id,
    parse_date,
    phonetic,
    postcode,
    street,
    surname,
)
from weerbaar.matching.records import person_of

# fold ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # case
        ("JANSEN", "jansen"),
        ("jAnSeN", "jansen"),
        # diacritics: clerks drop them, keyboards add them
        ("Çelik", "celik"),
        ("Öztürk", "ozturk"),
        ("Müller", "muller"),
        ("Hoëvenaar", "hoevenaar"),
        ("Şahin", "sahin"),
        ("Ayşe", "ayse"),
        ("Renée", "renee"),
        ("François", "francois"),
        ("Straße", "strasse"),
        ("Søren", "soren"),
        ("Æbelø", "aebelo"),
        ("Łukasz", "lukasz"),
        # ij and y are one sound; the ligature ĳ is the same letter
        ("Bijl", "byl"),
        ("Byl", "byl"),
        ("BIJL", "byl"),
        ("IJsselstein", "ysselstein"),
        ("Ijsselstein", "ysselstein"),
        ("Ĳsselstein", "ysselstein"),
        ("Rijnders", "rynders"),
        # punctuation and spacing become single spaces
        ("O'Brien", "o brien"),
        ("d’Hondt", "d hondt"),
        ("Jan-Peter", "jan peter"),
        ("  A   B ", "a b"),
        ("van der\tBerg\n", "van der berg"),
        ("Bakkerij Jansen B.V.", "bakkery jansen b v"),
        ("", ""),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Yılmaz", "yilmaz"), ("Aydın", "aydin"), ("Kılıç", "kilic"), ("Đorđević", "dordevic"), ("Œuvre", "oeuvre")],
)
def test_fold_letters_without_decomposition(raw: str, expected: str) -> None:
    """Yılmaz is among the commonest surnames in Dutch registers, and clerks write it Yilmaz.

    Regression: ı, đ and œ have no Unicode decomposition and were once dropped (``y lmaz``).
    """
    assert fold(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"), [("Bijl", "Byl"), ("Çelik", "Celik"), ("MÜLLER", "muller"), ("Hoëvenaar", "Hoevenaar")]
)
def test_fold_makes_variants_equal(a: str, b: str) -> None:
    """The point of folding: both spellings of one name compare as one value."""
    assert fold(a) == fold(b)


# surname ---------------------------------------------------------------------------------------

_BERG = Surname("van der", "berg")


@pytest.mark.parametrize(
    ("prefix", "name", "expected"),
    [
        # prefix in its own column, any case
        ("van der", "Berg", _BERG),
        ("Van der", "Berg", _BERG),
        ("VAN DER", "BERG", _BERG),
        # prefix inside the surname column
        (None, "van der Berg", _BERG),
        (None, "Van der Berg", _BERG),
        (None, "VAN DER BERG", _BERG),
        ("", "van der Berg ", _BERG),
        # reversed with a comma
        (None, "Berg, van der", _BERG),
        (None, "Berg,van der", _BERG),
        ("", "BERG, VAN DER", _BERG),
        # other prefixes in every form
        (None, "van den Berg", Surname("van den", "berg")),
        (None, "Berg, van den", Surname("van den", "berg")),
        (None, "van de Berg", Surname("van de", "berg")),
        (None, "Van Den Bergh", Surname("van den", "bergh")),
        (None, "de Vries", Surname("de", "vries")),
        ("De", "Vries", Surname("de", "vries")),
        (None, "Vries, de", Surname("de", "vries")),
        (None, "van Dijk", Surname("van", "dyk")),
        (None, "van Dyk", Surname("van", "dyk")),
        (None, "Dijk, van", Surname("van", "dyk")),
        ("v.", "Dijk", Surname("van", "dyk")),
        (None, "v. Dijk", Surname("van", "dyk")),
        (None, "V. Dijk", Surname("van", "dyk")),
        # in 't, van 't, 't (the apostrophe is kept apart, not glued into the core)
        ("in 't", "Veld", Surname("in t", "veld")),
        ("in t", "Veld", Surname("in t", "veld")),
        (None, "in 't Veld", Surname("in t", "veld")),
        (None, "in ’t Veld", Surname("in t", "veld")),
        (None, "Veld, in 't", Surname("in t", "veld")),
        (None, "i.t. Veld", Surname("in t", "veld")),
        (None, "in het Veld", Surname("in het", "veld")),
        (None, "van 't Hek", Surname("van t", "hek")),
        ("van 't", "Hek", Surname("van t", "hek")),
        (None, "Van 'T Hek", Surname("van t", "hek")),
        (None, "Hek, van 't", Surname("van t", "hek")),
        (None, "'t Hart", Surname("t", "hart")),
        # ter, ten
        (None, "ter Horst", Surname("ter", "horst")),
        (None, "Ter Horst", Surname("ter", "horst")),
        ("ter", "Horst", Surname("ter", "horst")),
        (None, "Horst, ter", Surname("ter", "horst")),
        (None, "ten Brink", Surname("ten", "brink")),
        # de la (Spanish and Portuguese names in Dutch registers)
        (None, "de la Rosa", Surname("de la", "rosa")),
        ("de la", "Rosa", Surname("de la", "rosa")),
        (None, "DE LA ROSA", Surname("de la", "rosa")),
        (None, "Rosa, De La", Surname("de la", "rosa")),
        # abbreviated: "vd" stays ambiguous between van de / van den / van der, so the core decides
        (None, "vd Berg", Surname("van d", "berg")),
        (None, "vd. Berg", Surname("van d", "berg")),
        (None, "v d Berg", Surname("van d", "berg")),
        (None, "v.d. Berg", Surname("van d", "berg")),
        (None, "V.d. Berg", Surname("van d", "berg")),
        (None, "v. d. Berg", Surname("van d", "berg")),
        (None, "v/d Berg", Surname("van d", "berg")),
        (None, "V/D BERG", Surname("van d", "berg")),
        (None, "V.D. Berg", Surname("van d", "berg")),
        ("vd", "Berg", Surname("van d", "berg")),
        ("v.d.", "Berg", Surname("van d", "berg")),
        ("V/D", "Berg", Surname("van d", "berg")),
        (None, "Berg, vd", Surname("van d", "berg")),
        (None, "Berg, v.d.", Surname("van d", "berg")),
        (None, "vdr Berg", _BERG),
        (None, "v.d.Berg", Surname("van d", "berg")),
        (None, "V.D.BERG", Surname("van d", "berg")),
        (None, "v. der Berg", _BERG),
        (None, "v. den Berg", Surname("van den", "berg")),
        # the apostrophe glued to the word before (in't, van't)
        (None, "In't Veld", Surname("in t", "veld")),
        (None, "in’t Veld", Surname("in t", "veld")),
        (None, "Van't Hek", Surname("van t", "hek")),
        # reversed without a comma
        (None, "Berg van der", _BERG),
        (None, "Veld in 't", Surname("in t", "veld")),
        (None, "Horst ter", Surname("ter", "horst")),
        (None, "Bos de Vries", Surname("", "bos de vries")),  # a double name is not cut at "de"
        # the prefix in its column and again in the surname counts once
        ("van der", "van der Berg", _BERG),
        ("van", "van Dijk", Surname("van", "dyk")),
        ("van", "der Berg", _BERG),
        (None, "vd Bijl", Surname("van d", "byl")),
        # glued: left whole (Vandenberg is a real surname too)
        (None, "Vanderberg", Surname("", "vanderberg")),
        (None, "VANDERBERG", Surname("", "vanderberg")),
        (None, "Terhorst", Surname("", "terhorst")),
        # no prefix, diacritics, ij, double names
        (None, "Jansen", Surname("", "jansen")),
        (None, "Öztürk", Surname("", "ozturk")),
        (None, "Bijl", Surname("", "byl")),
        (None, "Van der Berg-de Vries", Surname("van der", "berg de vries")),
        # a lone word is a surname, never all prefix
        (None, "De", Surname("", "de")),
        (None, "van", Surname("", "van")),
        # empty
        (None, None, Surname("", "")),
        ("", "", Surname("", "")),
        ("van der", "", Surname("van der", "")),
    ],
)
def test_surname_split(prefix: str | None, name: str | None, expected: Surname) -> None:
    assert surname(prefix, name) == expected


@pytest.mark.parametrize(
    ("glued", "split_prefix", "split_name"),
    [
        ("Vanderberg", "van der", "Berg"),
        ("VANDERBERG", None, "van der Berg"),
        ("Vanderberg", None, "Berg, van der"),
        ("Vandenberg", "van den", "Berg"),
        ("Devries", "de", "Vries"),
        ("Vandijk", None, "van Dijk"),
        ("Vandyk", None, "van Dijk"),
        ("Terhorst", None, "ter Horst"),
        ("Tenbrink", None, "ten Brink"),
        ("Vanthek", None, "van 't Hek"),
        ("Intveld", None, "in 't Veld"),
        ("Delarosa", None, "de la Rosa"),
    ],
)
def test_glued_surname_compares_by_its_glued_form(glued: str, split_prefix: str | None, split_name: str) -> None:
    """A glued spelling keeps its whole core, but its ``.glued`` equals the split spelling's."""
    whole = surname(None, glued)
    split = surname(split_prefix, split_name)
    assert whole.prefix == ""
    assert whole.core == whole.glued
    assert whole.glued == split.glued


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((None, "van der Berg"), ("van der", "Berg")),
        ((None, "Berg, van der"), (None, "vd Berg")),
        ((None, "v.d. Berg"), (None, "V/D BERG")),
        ((None, "in 't Veld"), (None, "Veld, in 't")),
        ((None, "van Dijk"), (None, "Dyk, v.")),
        ((None, "de la Rosa"), (None, "Rosa, de la")),
        ((None, "Öztürk"), (None, "Ozturk")),
    ],
)
def test_surname_spellings_share_a_core(a: tuple[str | None, str], b: tuple[str | None, str]) -> None:
    """What the comparator actually relies on: every split spelling yields one core."""
    assert surname(*a).core == surname(*b).core


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Łukasik", "lukasik"), ("Jørgensen", "jorgensen"), ("Groß", "gross"), ("Sołtys", "soltys"), ("Yılmaz", "yilmaz")],
)
def test_surname_keeps_letters_that_fold_writes_out(raw: str, expected: str) -> None:
    """Regression: the prefix pass in surname() once removed ł, ø and ß before fold() could write them out."""
    assert surname(None, raw).core == expected
    assert surname(None, raw).core == surname(None, fold(raw)).core


def test_prefix_in_column_and_reversed() -> None:
    """``van der`` + ``van der Berg`` counts the prefix once; the reversed spelling must too."""
    assert surname("van der", "Berg, van der") == _BERG


@pytest.mark.parametrize("raw", ["Berg v.d.", "Berg vd"])
def test_trailing_abbreviated_prefix_without_comma(raw: str) -> None:
    """``Berg van der`` and ``Berg, v.d.`` are split; ``Berg v.d.`` is the same clerk's shorthand."""
    assert surname(None, raw).core == "berg"


# given names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "names", "initials_only"),
    [
        # initials in every clerk's spelling
        ("J.P.", ("j", "p"), True),
        ("j.p.", ("j", "p"), True),
        ("J. P.", ("j", "p"), True),
        ("JP", ("j", "p"), True),
        ("j p", ("j", "p"), True),
        ("J P", ("j", "p"), True),
        ("A.B.C.D.", ("a", "b", "c", "d"), True),
        ("E", ("e",), True),
        ("E.", ("e",), True),
        ("e", ("e",), True),
        ("IJ", ("y",), True),
        # full names
        ("Johannes Petrus", ("johannes", "petrus"), False),
        ("JOHANNES PETRUS", ("johannes", "petrus"), False),
        ("Anne-Marie", ("anne", "marie"), False),
        ("Anne-Marie Louise", ("anne", "marie", "louise"), False),
        ("Jan", ("jan",), False),
        ("Jo", ("jo",), False),
        ("Ed", ("ed",), False),
        ("Ijsbrand", ("ysbrand",), False),
        ("Ayşe Zeynep", ("ayse", "zeynep"), False),
        ("Renée", ("renee",), False),
        ("  Mohammed  ", ("mohammed",), False),
        # absent
        ("", (), False),
        ("   ", (), False),
        (None, (), False),
    ],
)
def test_given_names(raw: str | None, names: tuple[str, ...], initials_only: bool) -> None:
    assert given_names(raw) == GivenNames(names, initials_only)


@pytest.mark.parametrize(
    ("raw", "first", "initials"),
    [
        ("Johannes Petrus Maria", "johannes", "jpm"),
        ("J.P.M.", "j", "jpm"),
        ("Anne-Marie", "anne", "am"),
        ("Eva", "eva", "e"),
        ("", "", ""),
    ],
)
def test_given_names_first_and_initials(raw: str, first: str, initials: str) -> None:
    """``first`` is what a subject with only the first given name is compared on; ``initials`` what J.P. is."""
    parsed = given_names(raw)
    assert parsed.first == first
    assert parsed.initials == initials


def test_initials_agree_with_the_full_names() -> None:
    assert given_names("J.P.").initials == given_names("Johannes Petrus").initials == given_names("j p").initials


@pytest.mark.parametrize(("raw", "names"), [("Johannes P.", ("johannes", "p")), ("Jan P.", ("jan", "p"))])
def test_name_with_one_initial(raw: str, names: tuple[str, ...]) -> None:
    """Regression: a dotted initial once turned the whole field into initials, letter by letter (j,o,h,a,…)."""
    assert given_names(raw) == GivenNames(names, False)
    assert given_names(raw).initials == "jp"


@pytest.mark.parametrize(("raw", "name"), [("EVA", "eva"), ("JAN", "jan"), ("BAS", "bas"), ("JAN WILLEM", "jan")])
def test_short_name_in_capitals_is_a_name(raw: str, name: str) -> None:
    """All-capital files write short names the way initials look; JAN must still compare as Jan."""
    assert given_names(raw) == given_names(raw.title())
    assert given_names(raw).first == name


@pytest.mark.parametrize("raw", ["ELS", "ANS", "IDS"])
def test_short_vowel_name_in_capitals_is_a_name(raw: str) -> None:
    """Els and Ans are common Dutch given names; E.L.S. as initials would not agree with Els anywhere."""
    assert given_names(raw) == given_names(raw.title())


def _given_level(subject: str, registry: str) -> str:
    """The given-name comparison level the matcher sees for two spellings (the reason names are normalised)."""
    a = person_of({"given_names": subject, "surname": "Jansen"})
    b = person_of({"given_names": registry, "surname": "Jansen"})
    return PERSON[0].levels[PERSON[0].compare(a, b)]


@pytest.mark.parametrize(
    ("subject", "registry", "level"),
    [
        ("Johannes Petrus", "JOHANNES PETRUS", "exact"),
        ("Johannes", "Johannes Petrus", "first name"),
        ("Johannes P.", "Johannes Petrus", "first name"),
        ("J.P.", "Johannes Petrus", "initials"),
        ("J P", "Johannes Petrus", "initials"),
        ("JP", "Johannes Petrus", "initials"),
        ("J.", "Johannes Petrus", "initials"),
        ("IJ.J.", "IJsbrand Jan", "initials"),
        ("JAN", "Jan", "exact"),
        ("Pieter", "Johannes Petrus", "different"),
    ],
)
def test_given_name_spellings_as_compared(subject: str, registry: str, level: str) -> None:
    assert _given_level(subject, registry) == level


@pytest.mark.parametrize(
    ("subject", "registry"),
    [
        ("J. Petrus", "Johannes Petrus"),
        ("Joh. Petrus", "Johannes Petrus"),
        ("Th.J.", "Theodorus Johannes"),
        ("Chr.", "Christiaan"),
        ("Wilh.", "Wilhelmina"),
    ],
)
def test_abbreviated_given_name_agrees(subject: str, registry: str) -> None:
    """Dutch registers write Th., Chr., Ph. and Joh. as initials; they must agree at least as initials do."""
    assert _given_level(subject, registry) in ("exact", "first name", "initials", "similar")


# dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1980-01-02", (1980, 1, 2)),
        ("1980-1-2", (1980, 1, 2)),
        ("19800102", (1980, 1, 2)),
        ("02-01-1980", (1980, 1, 2)),
        ("2-1-1980", (1980, 1, 2)),
        ("02/01/1980", (1980, 1, 2)),
        ("02.01.1980", (1980, 1, 2)),
        ("1980/01/02", (1980, 1, 2)),
        ("19800102.0", (1980, 1, 2)),
        ("1980-01-02 00:00:00", (1980, 1, 2)),
        ("1980-01-02T12:30:00", (1980, 1, 2)),
        ("1980-01-02T00:00:00Z", (1980, 1, 2)),
        ("02-01-1980 13:45", (1980, 1, 2)),
        (" 02-01-1980 ", (1980, 1, 2)),
        ("31-12-1999", (1999, 12, 31)),
        ("2024-02-29", (2024, 2, 29)),
        # impossible dates are absent, never repaired into another day
        ("2023-02-29", None),
        ("1980-02-30", None),
        ("1980-13-01", None),
        ("1980-00-10", None),
        ("19800132", None),
        ("13/13/1980", None),
        ("0000-01-01", None),
        # not a date, or no date
        ("02-01-80", None),
        ("2 januari 1980", None),
        ("abc", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_date(raw: str | None, expected: tuple[int, int, int] | None) -> None:
    assert parse_date(raw) == expected


# addresses -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234 ab", "1234AB"),
        ("1234AB", "1234AB"),
        (" 1234ab ", "1234AB"),
        ("1234  AB", "1234AB"),
        ("1234-ab", "1234AB"),
        ("1234ab\n", "1234AB"),
        ("B-1000", "B1000"),  # a foreign postcode keeps its letters and digits
        ("", ""),
        (None, ""),
    ],
)
def test_postcode(raw: str | None, expected: str) -> None:
    assert postcode(raw) == expected


@pytest.mark.parametrize(
    ("number", "addition", "expected"),
    [
        ("12", None, (12, "")),
        ("  12  ", None, (12, "")),
        ("012", None, (12, "")),
        ("12", "", (12, "")),
        # one addition, four spellings
        ("12A", None, (12, "a")),
        ("12a", None, (12, "a")),
        ("12-a", None, (12, "a")),
        ("12 a", None, (12, "a")),
        ("12.a", None, (12, "a")),
        ("12", "A", (12, "a")),
        ("12", "-a", (12, "a")),
        ("12 ", "a ", (12, "a")),
        # words and numbers as additions
        ("12 bis", None, (12, "bis")),
        ("12bis", None, (12, "bis")),
        ("12", "bis", (12, "bis")),
        ("12-1", None, (12, "1")),
        ("12/2", None, (12, "2")),
        ("12-I", None, (12, "i")),
        ("12 A 1", None, (12, "a1")),
        ("12hs", None, (12, "h")),
        ("12 hs", None, (12, "h")),
        ("12-huis", None, (12, "h")),
        ("12 boven", None, (12, "bov")),
        ("12bov", None, (12, "bov")),
        # no number
        ("", None, (None, "")),
        (None, None, (None, "")),
        ("", "A", (None, "a")),
        ("A12", None, (None, "")),
    ],
)
def test_house_number(number: str | None, addition: str | None, expected: tuple[int | None, str]) -> None:
    assert house_number(number, addition) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Burg. de Kockstr.", "burgemeester de kockstraat"),
        ("Burgemeester de Kockstraat", "burgemeester de kockstraat"),
        ("Kerkstr", "kerkstraat"),
        ("Kerkstr.", "kerkstraat"),
        ("Kerkstraat", "kerkstraat"),
        ("KERKSTRAAT", "kerkstraat"),
        ("Lange Str", "lange straat"),
        ("Pr. Hendrikln", "prins hendriklaan"),
        ("Prins Hendriklaan", "prins hendriklaan"),
        ("Wethr. Jansenln", "wethouder jansenlaan"),
        ("Weth. Jansenlaan", "wethouder jansenlaan"),
        ("Wethouder Jansenlaan", "wethouder jansenlaan"),
        ("Stationswg", "stationsweg"),
        ("Stationsweg", "stationsweg"),
        ("Oudegr", "oudegracht"),
        ("Keizersgr", "keizersgracht"),
        ("Sgl", "singel"),
        ("Dr. Schaepmanstr", "doctor schaepmanstraat"),
        ("Jan v. Galenstraat", "jan van galenstraat"),
        ("Laan v. Meerdervoort", "laan van meerdervoort"),
        ("IJsselkade", "ysselkade"),
        # words that merely end like an abbreviation stay as they are
        ("Burgstraat", "burgstraat"),
        ("Kerkpad", "kerkpad"),
        ("Markt", "markt"),
        ("", ""),
        (None, ""),
    ],
)
def test_street(raw: str | None, expected: str) -> None:
    assert street(raw) == expected


@pytest.mark.parametrize(
    ("raw", "full"),
    [
        ("Stationspln", "Stationsplein"),  # regression: once "stationsplaan" through the "ln" rule
        ("Marktpln", "Marktplein"),
        ("Kon. Julianapln", "Koning Julianaplein"),
        ("St. Jansstraat", "Sint Jansstraat"),  # regression: a leading St. once became "straat"
        ("St Annastr", "Sint Annastraat"),
        ("Gr. Markt", "Grote Markt"),  # regression: once "gracht markt"
        ("Kl. Houtstraat", "Kleine Houtstraat"),
        ("Oude Gr", "Oude Gracht"),  # at the end, gr is still a gracht
        ("Kerk St", "Kerk Straat"),
    ],
)
def test_street_abbreviation_equals_full_name(raw: str, full: str) -> None:
    assert street(raw) == street(full)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("'s-Hertogenbosch", "hertogenbosch"),
        ("s Hertogenbosch", "hertogenbosch"),
        ("'S-HERTOGENBOSCH", "hertogenbosch"),
        ("’s-Gravenhage", "gravenhage"),
        ("'s Gravenhage", "gravenhage"),
        ("IJsselstein", "ysselstein"),
        ("Ijsselstein", "ysselstein"),
        ("Den Haag", "den haag"),
        ("Sneek", "sneek"),  # a name that starts with s but not with 's
        ("", ""),
        (None, ""),
    ],
)
def test_city(raw: str | None, expected: str) -> None:
    assert city(raw) == expected


# identifiers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123456782", "123456782"),
        ("12345678", "012345678"),  # a spreadsheet dropped the leading zero
        ("012345678", "012345678"),
        ("123.456.782", "123456782"),
        ("123 456 782", "123456782"),
        ("123-456-782", "123456782"),
        ("  1234 5678 ", "012345678"),
        ("", ""),
        (None, ""),
    ],
)
def test_national_id(raw: str | None, expected: str) -> None:
    assert national_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12345678", "12345678"),
        ("1234567", "01234567"),  # a spreadsheet dropped the leading zero
        ("01234567", "01234567"),
        ("12.34.56.78", "12345678"),
        ("KvK 12345678", "12345678"),
        ("1234 5678", "12345678"),
        ("", ""),
        (None, ""),
    ],
)
def test_kvk_number(raw: str | None, expected: str) -> None:
    assert kvk_number(raw) == expected


@pytest.mark.parametrize(
    ("function", "raw", "expected"),
    [
        (kvk_number, "1234567.0", "01234567"),
        (kvk_number, "12345678.0", "12345678"),
        (national_id, "12345678.0", "012345678"),
        (national_id, "123456782.00", "123456782"),
    ],
)
def test_identifier_written_as_spreadsheet_float(function: Callable[[str], str], raw: str, expected: str) -> None:
    """Regression: a spreadsheet's ``.0`` was once read as an extra digit (``12345670``)."""
    assert function(raw) == expected


@pytest.mark.parametrize(
    ("function", "raw", "expected"),
    [
        (national_id, "1234.56.000", "123456000"),  # the usual 4.2.3 notation of a BSN
        (kvk_number, "12.34.56.00", "12345600"),
    ],
)
def test_identifier_with_zero_group(function: Callable[[str], str], raw: str, expected: str) -> None:
    assert function(raw) == expected


def test_identifier_with_decimal_comma() -> None:
    assert national_id("12345678,0") == "012345678"


@pytest.mark.parametrize(("raw", "expected"), [("12-34 56.78", "12345678"), ("abc", ""), (None, "")])
def test_digits(raw: str | None, expected: str) -> None:
    assert digits(raw) == expected


# companies -------------------------------------------------------------------------------------


def _bakkerij(form: str) -> CompanyName:
    return CompanyName("bakkery jansen", form, ("bakkery", "jansen"))


@pytest.mark.parametrize(
    ("raw", "legal_form", "expected"),
    [
        ("Bakkerij Jansen B.V.", None, _bakkerij("bv")),
        ("bakkerij jansen bv", None, _bakkerij("bv")),
        ("BAKKERIJ JANSEN BV.", None, _bakkerij("bv")),
        ("Bakkerij Jansen B.V", None, _bakkerij("bv")),
        ("Bakkerij Jansen Holding B.V.", None, _bakkerij("bv")),
        ("Bakkerij Jansen Holding", None, _bakkerij("")),
        ("Bakkerij Jansen Besloten Vennootschap", None, _bakkerij("bv")),
        ("Bakkerij Jansen", "B.V.", _bakkerij("bv")),
        ("Bakkerij Jansen", "Besloten Vennootschap", _bakkerij("bv")),
        ("B.V. Jansen", None, CompanyName("jansen", "bv", ("jansen",))),
        ("BV Jansen", None, CompanyName("jansen", "bv", ("jansen",))),
        ("Jansen Beheer B.V.", None, CompanyName("jansen", "bv", ("jansen",))),
        ("Jansen N.V.", None, CompanyName("jansen", "nv", ("jansen",))),
        ("Jansen V.O.F.", None, CompanyName("jansen", "vof", ("jansen",))),
        ("Jansen vof", None, CompanyName("jansen", "vof", ("jansen",))),
        ("Jansen", "V.O.F.", CompanyName("jansen", "vof", ("jansen",))),
        ("Jansen C.V.", None, CompanyName("jansen", "cv", ("jansen",))),
        ("Jansen Eenmanszaak", None, CompanyName("jansen", "ez", ("jansen",))),
        ("Jansen", "Eenmanszaak", CompanyName("jansen", "ez", ("jansen",))),
        ("Jansen & Zn. B.V.", None, CompanyName("jansen zn", "bv", ("jansen", "zn"))),
        ("Jansen en Zn BV", None, CompanyName("jansen zn", "bv", ("jansen", "zn"))),
        ("Stichting De Brug", None, CompanyName("brug", "stichting", ("brug",))),
        ("De Brug", None, CompanyName("brug", "", ("brug",))),
        ("Vereniging Ons Belang", None, CompanyName("ons belang", "vereniging", ("ons", "belang"))),
        ("Ons Belang Vereniging", None, CompanyName("ons belang", "vereniging", ("ons", "belang"))),
        ("Café 't Hoekje", None, CompanyName("cafe t hoekje", "", ("cafe", "t", "hoekje"))),
        # a name that is only a legal form or filler keeps what it has
        ("Stichting", None, CompanyName("stichting", "", ("stichting",))),
        ("Holding B.V.", None, CompanyName("holding", "bv", ("holding",))),
        ("", None, CompanyName("", "", ())),
        (None, None, CompanyName("", "", ())),
    ],
)
def test_company_name(raw: str | None, legal_form: str | None, expected: CompanyName) -> None:
    assert company_name(raw, legal_form) == expected


@pytest.mark.parametrize(
    "raw", ["Jansen Bouw B.V. i.o.", "Jansen Bouw B.V. in oprichting", "Jansen Bouw Holding B.V. i.o."]
)
def test_company_in_oprichting(raw: str) -> None:
    """Regression: 'i.o.' (in oprichting) once hid the legal form and stayed in the core."""
    assert company_name(raw) == company_name("Jansen Bouw B.V.")


def test_company_with_two_legal_forms() -> None:
    """Regression: Coöperatie … U.A. once kept 'u a' in the core."""
    assert company_name("Coöperatie De Eendracht U.A.").core == company_name("De Eendracht U.A.").core == "eendracht"


def test_company_filler_after_legal_form() -> None:
    assert company_name("Jansen B.V. Holding") == company_name("Jansen Holding B.V.")


def test_company_name_made_of_legal_form_words() -> None:
    """Two unrelated organisations must not share a core; both are reduced to the filler word "de"."""
    assert company_name("Stichting De Vereniging").core != company_name("De Maatschap").core


# phonetic --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "group",
    [
        ("Meijer", "Meyer", "Meier", "Mijer"),
        ("Jansen", "Janssen"),
        ("Bakker", "Backer"),
        ("Dekker", "Decker"),
        ("Visser", "Fisser"),
        ("Smit", "Smith", "Schmidt"),
        ("Hendriks", "Hendrix", "Hendrickx"),
        ("Klaassen", "Claassen", "Claasen"),
        ("Peters", "Pieters"),
        ("Berg", "Bergh"),
        ("Vries", "Fries"),
    ],
)
def test_phonetic_same_sound_one_key(group: tuple[str, ...]) -> None:
    """Spellings of one sound share a candidate block, so a misspelt surname is still compared."""
    keys = {phonetic(fold(name)) for name in group}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("a", "b"),
    [("Jansen", "Bakker"), ("Meijer", "Mulder"), ("Mulder", "Muller"), ("Visser", "Smit"), ("de Jong", "Jong")],
)
def test_phonetic_different_names_different_keys(a: str, b: str) -> None:
    assert phonetic(fold(a)) != phonetic(fold(b))


@pytest.mark.parametrize(("raw", "expected"), [("", ""), ("h", ""), ("vandenberg", "fntnbr")])
def test_phonetic_edges(raw: str, expected: str) -> None:
    """Empty input has no key (it must not form one giant block); the key is at most six letters."""
    assert phonetic(raw) == expected
