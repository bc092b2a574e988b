"""A picture of a layout's first page, filled in with sample values, to choose layouts by.

LibreOffice makes a PDF of the sample agreement (as for ``--pdf``), and poppler's
``pdftoppm`` draws its first page; where either is missing there is no picture.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .context import sample_context
from .errors import DocgenError
from .output import write_atomically
from .pdf import convert_to_pdf, find_libreoffice
from .render import compile_layout, render_document
from .templates import Layout

PIXELS_PER_INCH = 60  # an A4 page about 500 pixels wide: a thumbnail, readable when zoomed
SECONDS_TO_DRAW = 60


class PreviewUnavailable(DocgenError):
    """The first page could not be drawn; the message says why."""


def can_preview() -> bool:
    """Whether this computer has the programs a preview needs."""
    return find_libreoffice() is not None and shutil.which("pdftoppm") is not None


def first_page_image(layout: Layout, target: Path) -> Path:
    """Write the first page of `layout`, filled in with sample values, as a PNG at `target`."""
    pdftoppm = shutil.which("pdftoppm")
    if find_libreoffice() is None or pdftoppm is None:
        raise PreviewUnavailable(
            "previews need LibreOffice and poppler's pdftoppm, which are not both installed"
        )
    with tempfile.TemporaryDirectory(prefix="docgen-preview-") as work:
        document = Path(work) / "preview.docx"
        compiled = compile_layout(layout, sample_context())
        document.write_bytes(render_document(compiled, sample_context()))
        made = convert_to_pdf([document], workers=1)
        if made.failed:
            raise PreviewUnavailable(f"the layout {layout.docx.name}: {made.failed[0][1]}")
        page = Path(work) / "page"
        try:
            subprocess.run(
                [pdftoppm, "-png", "-f", "1", "-l", "1", "-singlefile",
                 "-r", str(PIXELS_PER_INCH), str(made.made[0]), str(page)],
                check=True, capture_output=True, timeout=SECONDS_TO_DRAW,
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise PreviewUnavailable(f"pdftoppm could not draw the page ({error})") from None
        write_atomically(target, page.with_suffix(".png").read_bytes(), durable=False)
    return target
