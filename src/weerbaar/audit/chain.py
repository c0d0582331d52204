# SPDX-License-Identifier: EUPL-1.2
"""The hash over one audit row, and verification of the whole chain.

Plain functions over plain values so that the rule is readable on its own: each row's hash is
SHA-256 over its fields and the previous row's hash; the first row follows :data:`GENESIS`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

HASHED_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "role",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "result",
    "origin",
    "detail",
    "prev_hash",
)


def row_hash(row: Mapping[str, Any]) -> str:
    values = []
    for field in HASHED_FIELDS:
        value = row[field]
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        values.append(value)
    payload = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    first_broken_id: int | None
    message: str


def verify_rows(rows: Iterable[Mapping[str, Any]], head_id: int, head_hash: str) -> VerifyResult:
    """Walk the rows in id order; name the first row where the chain breaks."""
    expected_id = 1
    prev = GENESIS
    count = 0
    for row in rows:
        count += 1
        rid = int(row["id"])
        if rid != expected_id:
            return VerifyResult(
                False,
                count,
                rid,
                f"row {expected_id} is missing (deleted or reordered): the next row present is {rid}",
            )
        if row["prev_hash"] != prev:
            return VerifyResult(False, count, rid, f"row {rid} does not follow row {rid - 1}: chain broken")
        if row_hash(row) != row["hash"]:
            return VerifyResult(False, count, rid, f"row {rid} was altered: its hash does not match its content")
        prev = row["hash"]
        expected_id += 1
    last_id = expected_id - 1
    if last_id != head_id or prev != (head_hash if head_id else GENESIS):
        return VerifyResult(
            False,
            count,
            last_id + 1,
            f"the log ends at row {last_id} but the chain head says {head_id}: rows were truncated",
        )
    return VerifyResult(True, count, None, f"audit chain intact: {count} rows verified")
