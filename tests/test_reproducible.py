"""Reproducible PDFs: the brief's own build time drives every timestamp in the PDF, the embedded
fonts included, whichever font subsetter WeasyPrint uses and whatever the wall clock says."""

from __future__ import annotations

import io
import shutil
import time
from datetime import datetime, timedelta, timezone

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefgen import cli, effects, pipeline
from briefgen.effects import FixedClock
from conftest import BUILT_AT, SAMPLE


@pytest.fixture(params=["harfbuzz", "fonttools"])
def subsetter(request, monkeypatch):
    """WeasyPrint subsets fonts with HarfBuzz-Subset when it is installed, else with fontTools
    (which stamps `head.modified` with the wall clock or SOURCE_DATE_EPOCH)."""
    import weasyprint.pdf.fonts as wfonts

    if request.param == "fonttools":
        monkeypatch.setattr(wfonts, "harfbuzz_subset", None)  # the forked PDF engine inherits this
    elif wfonts.harfbuzz_subset is None:
        pytest.skip("libharfbuzz-subset0 is not installed (make system-deps installs it)")
    return request.param


class _Wall(datetime):
    """datetime whose now() is a test-controlled wall clock."""

    at = BUILT_AT

    @classmethod
    def now(cls, tz=None):
        return cls.at if tz is None else cls.at.astimezone(tz)


def wall_clock(monkeypatch, at: datetime) -> None:
    """Pretend the wall clock shows `at`: for briefgen's SystemClock and for fontTools (time.time)."""
    _Wall.at = at
    monkeypatch.setattr(effects, "datetime", _Wall)
    monkeypatch.setattr(time, "time", lambda: at.timestamp())


def embedded_fonts(pdf: bytes) -> list[TTFont]:
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            font = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = font["/FontDescriptor"].get_object()
            for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                if key in descriptor:
                    ref = descriptor.raw_get(key)
                    fonts[ref.idnum] = TTFont(io.BytesIO(descriptor[key].get_data()), checkChecksums=2)
    return list(fonts.values())


def longdatetime(when: datetime) -> int:
    """Seconds since 1904-01-01 UTC, the clock of a font's head table."""
    return int((when - datetime(1904, 1, 1, tzinfo=timezone.utc)).total_seconds())


def test_embedded_fonts_carry_the_briefs_build_time(subsetter, tmp_path, monkeypatch):
    wall_clock(monkeypatch, datetime(2031, 5, 6, 7, 8, 9, tzinfo=timezone.utc))
    result = pipeline.build(SAMPLE, tmp_path, formats=("pdf",), audience="executive", clock=FixedClock(BUILT_AT))
    fonts = embedded_fonts(result.file("pdf").read_bytes())
    assert len(fonts) >= 3
    for font in fonts:  # checkChecksums=2 above: the restamped font is still a valid font
        assert font.reader.tables  # every table read, checksums verified
        for tag in font.keys():
            font[tag]
        assert font["head"].modified == longdatetime(BUILT_AT)


@pytest.mark.parametrize("epoch", [None, "1700000000"])
def test_two_cli_builds_a_minute_apart_are_byte_identical(subsetter, epoch, tmp_path, monkeypatch):
    if epoch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    else:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "build"
    args = ["build", "--config", str(SAMPLE), "--out", str(out), "--audience", "executive",
            "--format", "pdf,html", "--quiet"]
    wall_clock(monkeypatch, datetime(2026, 3, 2, 8, 0, 0, tzinfo=timezone.utc))
    assert cli.main(args) == 0
    first = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    # a minute later the PDF is made again (its cached copy is gone); the brief's content is
    # unchanged, so it keeps the time it was first built at, and so must every byte of the PDF
    shutil.rmtree(out / ".briefgen" / "cache" / "pdf")
    (out / ".briefgen" / "cache" / "build.json").unlink()
    wall_clock(monkeypatch, datetime(2026, 3, 2, 8, 1, 0, tzinfo=timezone.utc) + timedelta(seconds=7))
    assert cli.main(args) == 0
    again = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert again.keys() == first.keys() and any(n.endswith(".pdf") for n in again)
    for name in first:
        assert again[name] == first[name], name
