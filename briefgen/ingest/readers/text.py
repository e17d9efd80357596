"""Plain-text file bytes → one Extracted: the headline is found later, among the chrome."""

from __future__ import annotations

from pathlib import Path

from . import Extracted, register
from .common import decode


@register(".txt", ".text", name="txt", label="file")
def read(data: bytes, path: Path) -> list[Extracted]:
    text, warning = decode(data)
    return [Extracted(text, "txt", find_title=True, warnings=(warning,) if warning else ())]
