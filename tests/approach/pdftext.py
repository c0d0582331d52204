# SPDX-License-Identifier: EUPL-1.2
"""The text of a WeasyPrint PDF, for asserting what a generated letter holds (and does not hold).

Why our own: no PDF text extractor is a dependency. WeasyPrint writes text as glyph ids in
``TJ`` arrays, one font resource per face, each font with a ``ToUnicode`` CMap; that is all this
reads. A test that asserts absence must also assert presence of something, so that a reader that
found nothing cannot pass.
"""

from __future__ import annotations

import re
import zlib

_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body)
    if match is None:
        return b""
    data = match.group(1)
    if b"/FlateDecode" in body.split(b"stream", 1)[0]:
        try:
            return zlib.decompress(data)
        except zlib.error:
            return b""
    return data


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Every indirect object, including those packed in object streams (``/Type /ObjStm``)."""
    objects = {int(num): body for num, body in _OBJ.findall(pdf)}
    for body in list(objects.values()):
        if b"/ObjStm" not in body.split(b"stream", 1)[0]:
            continue
        first = re.search(rb"/First (\d+)", body)
        data = _stream(body)
        if first is None or not data:
            continue
        offset = int(first.group(1))
        header = [int(n) for n in data[:offset].split()]
        pairs = list(zip(header[0::2], header[1::2], strict=True))
        for i, (num, start) in enumerate(pairs):
            end = pairs[i + 1][1] if i + 1 < len(pairs) else len(data) - offset
            objects.setdefault(num, data[offset + start : offset + end])
    return objects


def pdf_text(pdf: bytes) -> str:
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/([A-Za-z0-9_.+-]+) (\d+) 0 R", body):
            font = objects.get(int(ref), b"")
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if to_unicode:
                fonts[name] = _cmap(_stream(objects.get(int(to_unicode.group(1)), b"")))
    lines: list[str] = []
    for body in objects.values():
        content = _stream(body)
        if b"TJ" not in content and b"Tj" not in content:
            continue
        current: dict[int, str] = {}
        for token in re.finditer(rb"/([A-Za-z0-9_.+-]+) [\d.]+ Tf|\[(.*?)\] ?TJ|<([0-9a-fA-F]*)> ?Tj", content, re.S):
            if token.group(1) is not None:
                current = fonts.get(token.group(1), {})
                continue
            hexes = re.findall(rb"<([0-9a-fA-F]*)>", token.group(2)) if token.group(2) is not None else [token.group(3)]
            text = "".join(current.get(int(h[i : i + 4], 16), "") for h in hexes for i in range(0, len(h), 4))
            lines.append(text)
    return "\n".join(lines)
