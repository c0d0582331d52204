# SPDX-License-Identifier: EUPL-1.2
"""Per-field checks: BSN, KvK, postcode, house number, the date forms, and what a row needs."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sources.conftest import bsn
from weerbaar.sources.formats import ADDRESS, PERSON, RECORD
from weerbaar.sources.validation import (
    Invalid,
    RowValidator,
    check_bsn,
    check_house_number,
    check_kvk,
    check_postcode,
    mask,
    parse_date,
)


@pytest.mark.parametrize("value", ["111222333", "123456782", " 1234.56.782 ", bsn(3)])
def test_valid_bsn_is_kept_as_nine_digits(value: str) -> None:
    assert len(check_bsn(value)) == 9 and check_bsn(value).isdigit()


def test_an_eight_digit_bsn_gets_its_leading_zero() -> None:
    nine = bsn(1)
    if nine.startswith("0"):
        assert check_bsn(nine[1:]) == nine


@pytest.mark.parametrize("value", ["123456789", "111222334", "12345", "abcdefghi", "1234567890"])
def test_invalid_bsn_is_refused_without_echoing_it(value: str) -> None:
    with pytest.raises(Invalid) as info:
        check_bsn(value)
    assert value not in str(info.value)


def test_mask_keeps_only_the_last_two() -> None:
    assert mask("123456789") == "*******89"


@pytest.mark.parametrize("value", ["12345678", "1234 5678", "1234.5678", "01234567"])
def test_kvk_numbers(value: str) -> None:
    assert check_kvk(value) == value.replace(" ", "").replace(".", "")


@pytest.mark.parametrize("value", ["1234567", "123456789", "1234567a", "KvK 12345678"])
def test_bad_kvk_numbers(value: str) -> None:
    with pytest.raises(Invalid):
        check_kvk(value)


def test_a_seven_digit_kvk_hints_at_a_lost_leading_zero() -> None:
    with pytest.raises(Invalid, match="leading zero"):
        check_kvk("1234567")


@pytest.mark.parametrize("value", ["1234AB", "1234 ab", " 1234  AB", "1234ab", "1234 Ab"])
def test_postcodes_in_any_spacing_or_case(value: str) -> None:
    assert check_postcode(value) == "1234AB"


@pytest.mark.parametrize("value", ["123AB", "0123AB", "1234A", "1234 SS", "ABCD12", "12345"])
def test_bad_postcodes(value: str) -> None:
    with pytest.raises(Invalid):
        check_postcode(value)


@pytest.mark.parametrize(("value", "expected"), [("12", "12"), ("012", "12"), ("99999", "99999")])
def test_house_numbers(value: str, expected: str) -> None:
    assert check_house_number(value) == expected


@pytest.mark.parametrize("value", ["12A", "12-a", "0", "123456", "twaalf", "½"])
def test_bad_house_numbers(value: str) -> None:
    with pytest.raises(Invalid):
        check_house_number(value)


@pytest.mark.parametrize(
    "value",
    ["1980-02-03", "19800203", "03-02-1980", "03/02/1980", "3-2-1980", "1980-2-3", "1980-02-03 00:00:00"],
)
def test_each_date_form(value: str) -> None:
    assert parse_date(value) == date(1980, 2, 3)


@pytest.mark.parametrize("value", ["2023-02-30", "20230230", "30-02-2023", "31/04/2023", "2023-13-01", "2023-00-10"])
def test_impossible_dates_are_refused(value: str) -> None:
    with pytest.raises(Invalid, match="not a date that exists"):
        parse_date(value)


@pytest.mark.parametrize("value", ["02/03/80", "3 februari 1980", "1980/02/03", "1980-02-03T12:30", "yesterday"])
def test_unknown_date_forms_are_refused(value: str) -> None:
    with pytest.raises(Invalid, match="not a date"):
        parse_date(value)


def test_a_row_is_normalised_lightly() -> None:
    validator = RowValidator(PERSON, [*PERSON.names, "nationality"], today=date(2026, 1, 1))
    data, errors = validator.check(
        {
            "id": " P1 ",
            "given_names": "  Jan Pieter ",
            "surname_prefix": "van der",
            "surname": "Berg",
            "date_of_birth": "03/02/1980",
            "postcode": "1234 ab",
            "house_number": "012",
            "house_number_addition": "a",
            "bsn": "1234.56.782",
            "street": "",
            "nationality": "NL",
        }
    )
    assert errors == []
    assert data == {
        "id": "P1",
        "given_names": "Jan Pieter",
        "surname_prefix": "van der",
        "surname": "Berg",
        "date_of_birth": "1980-02-03",
        "postcode": "1234AB",
        "house_number": "12",
        "house_number_addition": "a",
        "bsn": "123456782",
        "nationality": "NL",
    }
    assert validator.attributes == ["nationality"]


def test_a_birth_date_in_the_future_is_refused() -> None:
    validator = RowValidator(PERSON, PERSON.names, today=date(2026, 1, 1))
    _data, errors = validator.check({"id": "P1", "surname": "Berg", "date_of_birth": "2026-01-02"})
    assert errors == [("date_of_birth", "“2026-01-02” is a date of birth in the future.")]
    assert validator.check({"id": "P1", "surname": "Berg", "date_of_birth": "2026-01-01"})[1] == []


def test_required_values_and_every_problem_of_a_row() -> None:
    validator = RowValidator(ADDRESS, ADDRESS.names)
    _data, errors = validator.check({"id": "", "street": "Proefweg", "house_number": "12a", "postcode": "x"})
    assert [column for column, _message in errors] == ["id", "house_number", "postcode", "city"]


def test_a_record_must_name_someone_or_somewhere() -> None:
    validator = RowValidator(RECORD, ["id", "record_type", "date", "surname", "kvk_number"])
    _data, errors = validator.check({"id": "R1", "record_type": "permit", "date": "2024-01-01"})
    assert errors and errors[0][0] == "surname"
    assert (
        validator.check({"id": "R1", "record_type": "permit", "date": "2024-01-01", "kvk_number": "12345678"})[1] == []
    )


@given(st.from_regex(r"[0-9]{9}", fullmatch=True) | st.from_regex(r"[0-9 .\-]{7,12}", fullmatch=True))
@settings(max_examples=200)
def test_the_fast_bsn_check_agrees_with_stdnum(value: str) -> None:
    from stdnum.nl import bsn as stdnum_bsn

    if stdnum_bsn.is_valid(value):
        assert check_bsn(value) == stdnum_bsn.validate(value)
    else:
        with pytest.raises(Invalid):
            check_bsn(value)


@given(
    st.from_regex(r"[0-9]{4} ?[A-Za-z]{2}", fullmatch=True)
    | st.from_regex(r"(NL)?[0-9 \-]{4,6}[A-Za-z]{1,3}", fullmatch=True)
)
@settings(max_examples=200)
def test_the_fast_postcode_check_agrees_with_stdnum(value: str) -> None:
    from stdnum.nl import postcode as stdnum_postcode

    if stdnum_postcode.is_valid(value):
        assert check_postcode(value) == stdnum_postcode.validate(value).replace(" ", "")
    else:
        with pytest.raises(Invalid):
            check_postcode(value)
