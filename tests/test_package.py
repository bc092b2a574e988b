"""Agreements are zipped with the layout's shared parts compressed once, not per document."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from docgen import package


def test_a_packed_document_reads_back_whole_with_content_types_first() -> None:
    parts = {
        "word/document.xml": b"<w:doc>" + "Siân’s agreement ".encode() * 500 + b"</w:doc>",
        "[Content_Types].xml": b"<Types/>",
        "_rels/.rels": b"<Relationships/>",
        "word/media/empty.bin": b"",
    }
    data = package.pack(parts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every member's checksum holds
        assert archive.namelist() == [
            "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/media/empty.bin",
        ]  # fmt: skip
        assert {name: archive.read(name) for name in archive.namelist()} == parts
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
    assert len(data) < len(parts["word/document.xml"]) / 10  # really compressed


def test_a_remembered_part_is_not_compressed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    styles = b"<w:styles>" + b"<w:style/>" * 2000 + b"</w:styles>"
    package.remember({"word/styles.xml": styles})
    made = []
    real = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj", lambda *a: made.append(a) or real(*a))
    first = package.pack({"word/styles.xml": styles, "word/document.xml": b"<w:document/>"})
    assert len(made) == 1  # only the document's own part
    copy = bytes(bytearray(styles))  # the same text, but not the layout's own bytes
    second = package.pack({"word/styles.xml": copy, "word/document.xml": b"<w:document/>"})
    assert len(made) == 3
    with zipfile.ZipFile(io.BytesIO(first)) as one, zipfile.ZipFile(io.BytesIO(second)) as two:
        assert one.read("word/styles.xml") == two.read("word/styles.xml") == styles
