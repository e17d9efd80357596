"""Embedded font programs → the same fonts with `head.modified` set to the brief's build time.

A font subsetter stamps the subset it makes: fontTools with the wall clock (or SOURCE_DATE_EPOCH),
HarfBuzz with the original font's date. Either way the PDF would not be the brief's alone; this
writes the brief's build time into each embedded font's head table and fixes the checksums, so
two builds of the same brief are byte-identical without any environment variable.
"""

from __future__ import annotations

import struct
from datetime import datetime, timezone

_EPOCH_1904 = datetime(1904, 1, 1, tzinfo=timezone.utc)
_SFNT = (b"\x00\x01\x00\x00", b"OTTO", b"true")  # TrueType, CFF OpenType, Apple TrueType


def longdatetime(when: datetime) -> int:
    """Seconds since 1904-01-01 UTC: the clock of a font's head table."""
    return int((when.astimezone(timezone.utc) - _EPOCH_1904).total_seconds())


def _checksum(data: bytes) -> int:
    data = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def restamp(font: bytes, when: datetime | None) -> bytes:
    """`font` with head.modified = `when` (its own creation date when None), checksums fixed.
    Anything that is not a plain sfnt font comes back unchanged."""
    if font[:4] not in _SFNT or len(font) < 12:
        return font
    (count,) = struct.unpack_from(">H", font, 4)
    for i in range(count):
        record = 12 + 16 * i
        if record + 16 > len(font):
            return font
        tag, _, offset, length = struct.unpack_from(">4sLLL", font, record)
        if tag != b"head":
            continue
        if length < 54 or offset + length > len(font):
            return font
        data = bytearray(font)
        (created,) = struct.unpack_from(">q", data, offset + 20)
        struct.pack_into(">q", data, offset + 28, created if when is None else longdatetime(when))
        struct.pack_into(">L", data, offset + 8, 0)  # checkSumAdjustment counts as 0 in both sums
        struct.pack_into(">L", data, record + 4, _checksum(bytes(data[offset:offset + length])))
        struct.pack_into(">L", data, offset + 8, (0xB1B0AFBA - _checksum(bytes(data))) & 0xFFFFFFFF)
        return bytes(data)
    return font


def finisher(when: datetime | None):
    """A WeasyPrint `finisher`: restamps every embedded font stream of the PDF before it is written."""

    def finish(_document, pdf) -> None:
        for obj in pdf.objects:
            parts, extra = getattr(obj, "stream", None), getattr(obj, "extra", None) or {}
            is_font = "Length1" in extra or extra.get("Subtype") == "/OpenType"  # FontFile2 / FontFile3
            if is_font and isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], bytes):
                parts[0] = restamp(parts[0], when)

    return finish
