"""A layout's first page as a picture, for the web page's layouts screen (LibreOffice, pdftoppm)."""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest

from docgen.preview import PreviewUnavailable, first_page_image
from docgen.templates import load_catalogue


def needs_programs() -> None:
    if shutil.which("soffice") and shutil.which("pdftoppm"):
        return
    if os.environ.get("CI"):
        pytest.fail("CI must draw previews: install LibreOffice and poppler-utils")
    pytest.skip("LibreOffice or pdftoppm (poppler-utils) is not installed")


@pytest.mark.slow
def test_the_first_page_is_drawn_as_a_png(tmp_path: Path) -> None:
    needs_programs()
    target = first_page_image(load_catalogue().get("stoke"), tmp_path / "stoke.png")
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    # An A4 page, 210 by 297 mm, at 60 pixels an inch: 496.06 by 701.57, a part pixel
    # drawn as a whole one.
    assert (width, height) == (497, 702)


def test_without_libreoffice_there_is_no_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("docgen.preview.find_libreoffice", lambda: None)
    with pytest.raises(PreviewUnavailable, match="previews need LibreOffice"):
        first_page_image(load_catalogue().get("stoke"), tmp_path / "stoke.png")
    assert not (tmp_path / "stoke.png").exists()
