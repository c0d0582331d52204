# SPDX-License-Identifier: EUPL-1.2
"""The codebook format: validation of a codebook file, routing, and reading one answer.

Django-free on purpose: the import, the questionnaire, the synthetic waves and the analysis all
need the same rules (what a valid item is, when an item is asked, what a valid answer is), and
the analysis package must not depend on Django. docs/monitor-codebook.md describes the format.

Every validation error names the item and the key it is about, so that the author of a
500-line YAML file can go straight to the line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: The codebook that ships with Weerbaar.
SHIPPED_CODEBOOK = Path(__file__).resolve().parent / "data" / "codebook.yaml"

THEMES = (
    "awareness",
    "administrative",
    "organisational",
    "instruments",
    "information",
    "cooperation",
    "prevention",
    "phenomena",
    "factors",
)
TYPES = ("yes_no", "scale", "number", "choice", "multi_choice")
ITEM_KEYS = frozenset(
    {"id", "theme", "type", "label_nl", "label_en", "scale", "choices", "waves", "previous_id", "ask_if"}
    | {"min", "max", "unit"}
)
REQUIRED_KEYS = ("id", "theme", "type", "label_nl", "label_en", "waves")
CONDITION_KEYS = frozenset({"item", "equals", "in", "includes", "min", "max"})
#: Lower case, because spreadsheet headers are matched case-insensitively (they are lower-cased).
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
YES = frozenset({"1", "yes", "ja", "j", "y", "true"})
NO = frozenset({"0", "no", "nee", "n", "false"})

Value = int | float | str | list[str]


@dataclass(frozen=True)
class CodebookError:
    """One problem in a codebook file: which item (id, or its position), which key, what."""

    item: str | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.item is not None:
            where.append(f"item {self.item}")
        if self.key is not None:
            where.append(f"key '{self.key}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CodebookInvalid(Exception):
    """The file is not a valid codebook; ``errors`` lists every problem found."""

    def __init__(self, errors: list[CodebookError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the codebook")
        self.errors = errors


@dataclass
class ItemSpec:
    """A validated item, in the form the database and the other modules use."""

    id: str
    theme: str
    type: str
    label_nl: str
    label_en: str
    waves: list[int]
    order: int
    scale_min: int | None = None
    scale_max: int | None = None
    number_min: float | None = None
    number_max: float | None = None
    unit: str = ""
    choices: list[dict[str, str]] = field(default_factory=list)
    previous_id: str | None = None
    ask_if: dict[str, Any] | None = None

    def choice_codes(self) -> list[str]:
        return [c["code"] for c in self.choices]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemSpec:
        """From ``models.item_dict`` (an item read back from the database)."""
        scale = data.get("scale") or {}
        return cls(
            id=data["id"],
            theme=data["theme"],
            type=data["type"],
            label_nl=data["label_nl"],
            label_en=data["label_en"],
            waves=list(data.get("waves") or []),
            order=int(data.get("order") or 0),
            scale_min=scale.get("min"),
            scale_max=scale.get("max"),
            number_min=data.get("number_min"),
            number_max=data.get("number_max"),
            unit=data.get("unit") or "",
            choices=list(data.get("choices") or []),
            previous_id=data.get("previous_id") or None,
            ask_if=data.get("ask_if"),
        )


@dataclass
class CodebookSpec:
    title: str
    items: list[ItemSpec]

    def by_id(self) -> dict[str, ItemSpec]:
        return {item.id: item for item in self.items}


# --- validation of a codebook file -------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _text(errors: list[CodebookError], ref: str, raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.append(CodebookError(ref, key, "must be a non-empty text"))
        return ""
    return value.strip()


def parse_codebook(content: bytes | str) -> CodebookSpec:
    """Read and validate a codebook file (YAML); raise :class:`CodebookInvalid` listing every error."""
    try:
        document = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise CodebookInvalid([CodebookError(None, None, f"not valid YAML{where}: {exc}")]) from exc
    title = ""
    if isinstance(document, Mapping):
        title = str(document.get("title") or "")
        unknown = sorted(set(document) - {"title", "description", "items"})
        if unknown:
            raise CodebookInvalid([CodebookError(None, k, "unknown top-level key") for k in unknown])
        raw_items = document.get("items")
    else:
        raw_items = document
    if not isinstance(raw_items, list) or not raw_items:
        raise CodebookInvalid([CodebookError(None, "items", "the codebook must have a non-empty list of items")])

    errors: list[CodebookError] = []
    items: list[ItemSpec] = []
    positions: dict[str, int] = {}
    broken: set[str] = set()  # ids of items with errors: a reference to them is not "unknown"
    for index, raw in enumerate(raw_items, start=1):
        item = _parse_item(errors, index, raw)
        if item is None:
            if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
                broken.add(raw["id"])
            continue
        if item.id in positions:
            errors.append(CodebookError(item.id, "id", f"duplicate id (also item #{positions[item.id]})"))
            continue
        positions[item.id] = index
        items.append(item)
    _check_references(errors, items, broken)
    if errors:
        raise CodebookInvalid(errors)
    return CodebookSpec(title=title, items=items)


def _parse_item(errors: list[CodebookError], index: int, raw: Any) -> ItemSpec | None:
    ref = f"#{index}"
    if not isinstance(raw, Mapping):
        errors.append(CodebookError(ref, None, "an item must be a mapping of keys to values"))
        return None
    item_id = raw.get("id")
    if isinstance(item_id, str) and ID_PATTERN.match(item_id):
        ref = item_id
    else:
        errors.append(
            CodebookError(ref, "id", "must be lower-case letters, digits and _ (starting with a letter, ≤ 64)")
        )
    before = len(errors)
    for key in sorted(set(raw) - ITEM_KEYS, key=str):
        errors.append(CodebookError(ref, str(key), "unknown key"))
    for key in REQUIRED_KEYS:
        if key not in raw:
            errors.append(CodebookError(ref, key, "missing"))
    theme = raw.get("theme")
    if "theme" in raw and theme not in THEMES:
        errors.append(CodebookError(ref, "theme", f"unknown theme {theme!r} (known: {', '.join(THEMES)})"))
    kind = raw.get("type")
    if "type" in raw and kind not in TYPES:
        errors.append(CodebookError(ref, "type", f"bad type {kind!r} (known: {', '.join(TYPES)})"))
    label_nl = _text(errors, ref, raw, "label_nl") if "label_nl" in raw else ""
    label_en = _text(errors, ref, raw, "label_en") if "label_en" in raw else ""
    waves = _waves(errors, ref, raw.get("waves")) if "waves" in raw else []
    item = ItemSpec(
        id=ref,
        theme=str(theme),
        type=str(kind),
        label_nl=label_nl,
        label_en=label_en,
        waves=waves,
        order=index,
        unit=str(raw.get("unit") or ""),
    )
    _type_specific(errors, ref, raw, item)
    previous = raw.get("previous_id")
    if previous is not None:
        if not isinstance(previous, str) or not ID_PATTERN.match(previous):
            errors.append(CodebookError(ref, "previous_id", "must be the id of another item"))
        elif previous == ref:
            errors.append(CodebookError(ref, "previous_id", "an item cannot be its own previous item"))
        else:
            item.previous_id = previous
    if raw.get("ask_if") is not None:
        if isinstance(raw["ask_if"], Mapping):
            item.ask_if = dict(raw["ask_if"])
        else:
            errors.append(CodebookError(ref, "ask_if", "must be a condition (a mapping)"))
    return item if len(errors) == before else None


def _waves(errors: list[CodebookError], ref: str, value: Any) -> list[int]:
    if not isinstance(value, list) or not value or not all(_is_int(y) and 2000 <= y <= 2100 for y in value):
        errors.append(CodebookError(ref, "waves", "must be a non-empty list of years (e.g. [2016, 2022])"))
        return []
    if len(set(value)) != len(value):
        errors.append(CodebookError(ref, "waves", "names a year more than once"))
    return sorted(set(value))


def _type_specific(errors: list[CodebookError], ref: str, raw: Mapping[str, Any], item: ItemSpec) -> None:
    kind = item.type
    scale = raw.get("scale")
    if kind == "scale":
        if not isinstance(scale, Mapping) or not _is_int(scale.get("min")) or not _is_int(scale.get("max")):
            errors.append(CodebookError(ref, "scale", "a scale needs scale: {min: integer, max: integer}"))
        elif scale["min"] >= scale["max"]:
            errors.append(CodebookError(ref, "scale", f"min {scale['min']} must be below max {scale['max']}"))
        else:
            item.scale_min, item.scale_max = scale["min"], scale["max"]
    elif scale is not None:
        errors.append(CodebookError(ref, "scale", f"only a scale item has a scale (this is {kind})"))
    for key in ("min", "max"):
        if key in raw:
            if kind != "number":
                errors.append(CodebookError(ref, key, f"only a number item has {key} (this is {kind})"))
            elif not _is_number(raw[key]):
                errors.append(CodebookError(ref, key, "must be a number"))
    if kind == "number":
        low, high = raw.get("min"), raw.get("max")
        item.number_min = float(low) if low is not None and _is_number(low) else None
        item.number_max = float(high) if high is not None and _is_number(high) else None
        if item.number_min is not None and item.number_max is not None and item.number_min >= item.number_max:
            errors.append(CodebookError(ref, "max", f"min {low} must be below max {high}"))
    choices = raw.get("choices")
    if kind in ("choice", "multi_choice"):
        if not isinstance(choices, list) or len(choices) < 2:
            errors.append(CodebookError(ref, "choices", f"a {kind} item needs a list of at least two choices"))
            return
        seen: set[str] = set()
        for number, choice in enumerate(choices, start=1):
            if not isinstance(choice, Mapping):
                errors.append(CodebookError(ref, "choices", f"choice {number} must have code, label_nl, label_en"))
                continue
            code = str(choice.get("code", "")).strip()
            if not CODE_PATTERN.match(code):
                errors.append(
                    CodebookError(ref, "choices", f"choice {number}: code {code!r} must be lower-case letters/digits")
                )
            elif code in seen:
                errors.append(CodebookError(ref, "choices", f"choice code {code!r} appears twice"))
            seen.add(code)
            labels = {}
            for key in ("label_nl", "label_en"):
                text = choice.get(key)
                if not isinstance(text, str) or not text.strip():
                    errors.append(CodebookError(ref, "choices", f"choice {code or number}: {key} missing"))
                labels[key] = str(text or "").strip()
            extra = sorted(set(choice) - {"code", "label_nl", "label_en"}, key=str)
            if extra:
                errors.append(CodebookError(ref, "choices", f"choice {code or number}: unknown key {extra[0]!r}"))
            item.choices.append({"code": code, **labels})
    elif choices is not None:
        errors.append(CodebookError(ref, "choices", f"only choice items have choices (this is {kind})"))


def _check_references(errors: list[CodebookError], items: list[ItemSpec], broken: set[str]) -> None:
    """previous_id and ask_if may only name items that exist; ask_if only earlier ones."""
    by_id = {item.id: item for item in items}
    for item in items:
        if item.previous_id is not None and item.previous_id not in broken:
            previous = by_id.get(item.previous_id)
            if previous is None:
                errors.append(CodebookError(item.id, "previous_id", f"unknown item {item.previous_id!r}"))
            else:
                if previous.type != item.type:
                    errors.append(
                        CodebookError(
                            item.id,
                            "previous_id",
                            f"{previous.id} is a {previous.type} item, this one a {item.type}: not comparable",
                        )
                    )
                elif item.type == "scale" and (previous.scale_min, previous.scale_max) != (
                    item.scale_min,
                    item.scale_max,
                ):
                    errors.append(
                        CodebookError(item.id, "previous_id", f"{previous.id} has another scale: not comparable")
                    )
                if previous.waves and item.waves and max(previous.waves) >= min(item.waves):
                    errors.append(
                        CodebookError(
                            item.id,
                            "previous_id",
                            f"{previous.id} must have been asked before this item (its last wave is "
                            f"{max(previous.waves)}, this item's first {min(item.waves)})",
                        )
                    )
        if item.ask_if is not None:
            for message in _condition_errors(item.ask_if, item, by_id, broken):
                errors.append(CodebookError(item.id, "ask_if", message))


def _condition_errors(
    condition: Mapping[str, Any], item: ItemSpec, by_id: dict[str, ItemSpec], broken: set[str]
) -> list[str]:
    if set(condition) <= {"all", "any"} and len(condition) == 1:
        parts = next(iter(condition.values()))
        if not isinstance(parts, list) or not parts or not all(isinstance(p, Mapping) for p in parts):
            return [f"'{next(iter(condition))}' must be a non-empty list of conditions"]
        return [message for part in parts for message in _condition_errors(part, item, by_id, broken)]
    unknown = sorted(set(condition) - CONDITION_KEYS, key=str)
    if unknown:
        return [f"unknown condition key {unknown[0]!r} (use item with equals, in, includes, min, max; or all/any)"]
    ref = condition.get("item")
    target = by_id.get(ref) if isinstance(ref, str) else None
    if target is None and ref in broken:
        return []
    if target is None:
        return [f"refers to unknown item {ref!r}"]
    if target.order >= item.order:
        return [f"refers to {ref}, which comes later in the codebook (routing may only look back)"]
    missing = sorted(set(item.waves) - set(target.waves))
    if missing:
        return [f"refers to {ref}, which was not asked in {', '.join(map(str, missing))}"]
    tests = set(condition) - {"item"}
    if not tests:
        return [f"says nothing about {ref} (use equals, in, includes, min or max)"]
    problems: list[str] = []
    for key in sorted(tests):
        expected = condition[key]
        values = expected if key == "in" else [expected]
        if key == "in" and (not isinstance(expected, list) or not expected):
            problems.append("'in' must be a non-empty list")
            continue
        if key in ("min", "max"):
            if target.type not in ("number", "scale") or not _is_number(expected):
                problems.append(f"'{key}' needs a number and a number or scale item ({ref} is {target.type})")
            continue
        if key == "includes" and target.type != "multi_choice":
            problems.append(f"'includes' needs a multi_choice item ({ref} is {target.type})")
            continue
        for value in values:
            try:
                parse_value(target, value)
            except ValueError as exc:
                problems.append(f"{value!r} is not a possible answer to {ref}: {exc}")
    return problems


# --- answers: reading a cell, routing --------------------------------------------------------


def parse_value(item: ItemSpec, raw: Any) -> Value:
    """One answer in canonical form, from a cell's text or a YAML/JSON value; ``ValueError`` says why not.

    yes/no → 1 or 0; scale → an integer within the scale; number → int or float within its bounds;
    choice → a choice code; multi-choice → a sorted list of codes (``a;b`` in a file).
    """
    if isinstance(raw, bool):
        raw = int(raw)
    text = raw.strip() if isinstance(raw, str) else raw
    if item.type == "yes_no":
        word = str(text).lower()
        if word in YES:
            return 1
        if word in NO:
            return 0
        raise ValueError(f"{raw!r} is not a yes/no answer: expected 1 (yes) or 0 (no)")
    if item.type == "scale":
        number = _integer(text)
        low, high = item.scale_min, item.scale_max
        if number is None:
            raise ValueError(f"{raw!r} is not a whole number from {low} to {high}")
        if low is not None and high is not None and not low <= number <= high:
            raise ValueError(f"{number} is outside the scale {low}–{high}")
        return number
    if item.type == "number":
        value = _number(text)
        if value is None:
            raise ValueError(f"{raw!r} is not a number")
        if item.number_min is not None and value < item.number_min:
            raise ValueError(f"{_show(value)} is below the minimum {_show(item.number_min)}")
        if item.number_max is not None and value > item.number_max:
            raise ValueError(f"{_show(value)} is above the maximum {_show(item.number_max)}")
        return value
    codes = item.choice_codes()
    if item.type == "choice":
        code = str(text).strip().lower()
        if code not in codes:
            raise ValueError(f"{code!r} is not one of the choices ({', '.join(codes)})")
        return code
    parts = raw if isinstance(raw, list) else str(text).split(";")
    chosen = [str(p).strip().lower() for p in parts if str(p).strip()]
    if not chosen:
        raise ValueError("no choice given")
    bad = [c for c in chosen if c not in codes]
    if bad:
        raise ValueError(f"{bad[0]!r} is not one of the choices ({', '.join(codes)})")
    if len(set(chosen)) != len(chosen):
        raise ValueError("a choice is named twice")
    return sorted(chosen, key=codes.index)


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _integer(value: Any) -> int | None:
    if _is_int(value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value):
        return int(value)
    return None


def _number(value: Any) -> int | float | None:
    if _is_int(value):
        return int(value)
    if isinstance(value, float):
        return (int(value) if value.is_integer() else value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.replace(" ", "")
        # Dutch decimal comma (2,5 FTE) as well as a point; no thousands separators.
        if re.fullmatch(r"[+-]?\d+([.,]\d+)?", text):
            number = float(text.replace(",", "."))
            return int(number) if number.is_integer() else number
    return None


def condition_holds(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Is an item with this ``ask_if`` asked, given the (canonical) answers so far?

    No condition: always asked. A condition on an item that was not answered is false: a question
    that depends on an unanswered one is not asked.
    """
    if not condition:
        return True
    if "all" in condition:
        return all(condition_holds(part, answers) for part in condition["all"])
    if "any" in condition:
        return any(condition_holds(part, answers) for part in condition["any"])
    value = answers.get(condition["item"])
    if value is None:
        return False
    for key, expected in condition.items():
        if key == "item":
            continue
        if key == "equals" and not _same(value, expected):
            return False
        if key == "in" and not any(_same(value, e) for e in expected):
            return False
        if key == "includes" and (not isinstance(value, list) or str(expected) not in value):
            return False
        if key == "min" and not (_is_number(value) and value >= expected):
            return False
        if key == "max" and not (_is_number(value) and value <= expected):
            return False
    return True


def _same(value: Any, expected: Any) -> bool:
    if isinstance(expected, bool):
        expected = int(expected)
    if isinstance(expected, str) and isinstance(value, int | float):
        return (
            str(value) == expected.strip()
            or (expected.lower() in YES and value == 1)
            or (expected.lower() in NO and value == 0)
        )
    if isinstance(value, str):
        return value == str(expected).strip().lower()
    return bool(value == expected)


def condition_items(condition: Mapping[str, Any] | None) -> set[str]:
    """The item ids a condition looks at."""
    if not condition:
        return set()
    if "all" in condition or "any" in condition:
        return {ref for part in condition.get("all", condition.get("any", [])) for ref in condition_items(part)}
    return {str(condition.get("item"))}


def asked(item: ItemSpec, year: int, answers: Mapping[str, Any]) -> bool:
    """Is ``item`` part of the questionnaire of ``year`` for a respondent with these answers?"""
    return year in item.waves and condition_holds(item.ask_if, answers)


def routing_errors(items: Sequence[ItemSpec], year: int, answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(item id, message) for every answer that routing says should not be there."""
    problems = []
    for item in items:
        if item.id not in answers:
            continue
        if year not in item.waves:
            problems.append((item.id, f"{item.id} was not asked in {year}"))
        elif not condition_holds(item.ask_if, answers):
            problems.append((item.id, f"answered, but routing skips {item.id} here ({describe(item.ask_if)})"))
    return problems


def describe(condition: Mapping[str, Any] | None) -> str:
    """A condition in words, for messages: ``asked if bibob_policy = 1``."""
    if not condition:
        return "always asked"

    def words(c: Mapping[str, Any]) -> str:
        if "all" in c:
            return " and ".join(words(p) for p in c["all"])
        if "any" in c:
            return "(" + " or ".join(words(p) for p in c["any"]) + ")"
        parts = []
        for key, value in c.items():
            if key == "item":
                continue
            symbol = {"equals": "=", "in": "in", "includes": "includes", "min": "≥", "max": "≤"}[key]
            parts.append(f"{c['item']} {symbol} {value}")
        return " and ".join(parts)

    return f"asked if {words(condition)}"
