# SPDX-License-Identifier: EUPL-1.2
"""Reading subject and reference files for linkage, with ``--map role=column``.

Foreign files (FEBRL: ``rec_id``, ``given_name``, ``soc_sec_id``…) link without conversion: the
map says which column plays which role. Unmapped roles are looked up under their own name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from pathlib import Path

from weerbaar.matching.records import ALIASES, ROLES


class MapError(ValueError):
    """A ``--map`` that names an unknown role or a column the file does not have."""


def parse_map(text: str | None) -> dict[str, str]:
    """``id=rec_id,given_names=given_name`` → {role: column}; unknown roles are refused by name."""
    mapping: dict[str, str] = {}
    if not text:
        return mapping
    for item in text.split(","):
        if not item.strip():
            continue
        role, sep, column = item.partition("=")
        role, column = role.strip(), column.strip()
        if not sep or not role or not column:
            raise MapError(f"--map item {item!r} is not of the form role=column")
        if role not in ROLES:
            raise MapError(f"--map names an unknown role {role!r}; roles are: {', '.join(ROLES)}")
        mapping[role] = column
    return mapping


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(path: Path, mapping: Mapping[str, str]) -> Iterator[dict[str, str]]:
    """Rows as {role: value}; values stripped. Raises MapError when a mapped column is absent."""
    text = _decode(path.read_bytes())
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    position = {name: i for i, name in enumerate(header)}
    for role, column in mapping.items():
        if column not in position:
            raise MapError(f"{path.name}: --map {role}={column}, but the file has no column {column!r}")
    if "id" not in mapping and "id" not in position:
        raise MapError(f"{path.name}: no 'id' column; name one with --map id=COLUMN")
    columns: dict[str, int] = {}
    for role in ROLES:
        if role in mapping:
            columns[role] = position[mapping[role]]
            continue
        for candidate in ALIASES.get(role, (role,)):
            if candidate in position:
                columns[role] = position[candidate]
                break
    for line in reader:
        if not line:
            continue
        yield {role: (line[i].strip() if i < len(line) else "") for role, i in columns.items()}
