"""One file to print every agreement at once, and one zip of a run to send on.

The print file is made with docxcompose, which carries each agreement's styles and
numbering into one document; each agreement starts on a new page.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml.ns import nsmap

from .fingerprint import remove_stamp
from .output import write_atomically

COMBINED_NAME = "All agreements.docx"
BUNDLE_NAME = "Supervision agreements.zip"
_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


@contextlib.contextmanager
def _composer() -> Iterator[Any]:
    """docxcompose's Composer, without its side effect on python-docx.

    Importing docxcompose re-points python-docx's ``cp`` prefix from core properties to
    custom properties for the whole process, after which python-docx writes a document's
    author, keywords and category in the wrong namespace (Word then calls the file
    unreadable). docxcompose needs its meaning while it works; everything else needs
    python-docx's, so it is put back as soon as docxcompose is done.
    """
    from docxcompose.composer import Composer

    custom = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    nsmap["cp"] = custom
    try:
        yield Composer
    finally:
        nsmap["cp"] = _CORE


def combine_documents(documents: Sequence[Path], target: Path, title: str) -> Path:
    """Write every agreement in `documents` into one .docx at `target`, each on a new page."""
    with _composer() as composer_class:
        first = Document(str(documents[0]))
        composer = composer_class(first)
        for path in documents[1:]:
            # A new section, not just a page break: each agreement keeps its page set-up.
            first.add_section(WD_SECTION.NEW_PAGE)
            composer.append(Document(str(path)))
        buffer = io.BytesIO()
        composer.save(buffer)
    document = Document(io.BytesIO(buffer.getvalue()))
    document.core_properties.title = title
    document.core_properties.subject = f"{len(documents)} supervision agreements, to print"
    buffer = io.BytesIO()
    document.save(buffer)
    # It carries the first agreement's docgen properties; without them docgen never takes
    # the print file for that person's agreement.
    write_atomically(target, remove_stamp(buffer.getvalue()))
    return target


def bundle(folder: Path, files: Sequence[Path], target: Path) -> Path:
    """A zip at `target` of `files` (all inside `folder`), keeping their folders."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            if path.exists() and path != target:
                archive.write(path, path.relative_to(folder).as_posix())
    write_atomically(target, buffer.getvalue())
    return target

