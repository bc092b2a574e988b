"""A .docx from its parts, with the parts every agreement of a layout shares compressed once.

A .docx is a zip. Python's `zipfile` compresses every member each time it writes one, and
in an agreement most members (styles, numbering, theme, fonts, settings) are the layout's
own, byte for byte the same in every agreement: compressing them again for each of
thousands of agreements was the largest cost of writing one. `zipfile` cannot take a member
already compressed, so this writes the zip's records itself (the format is short and fixed:
PKWARE's APPNOTE, sections 4.3.7 to 4.3.16), and `zipfile` reads what it writes back in the
tests.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

CONTENT_TYPES = "[Content_Types].xml"
_DEFLATED = 8
_VERSION = 20  # 2.0: deflate
_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # 1 January 1980: the parts carry no date
_DOS_TIME = 0
_UTF8_NAME = 1 << 11


@dataclass(frozen=True)
class Member:
    """One part as it goes into the zip: compressed, with its checksum and digest."""

    name: bytes
    data: bytes  # the part itself (kept so a remembered part is known by identity)
    compressed: bytes
    crc: int
    digest: bytes  # SHA-256 of `data`, for the content fingerprint

    @classmethod
    def of(cls, name: str, data: bytes, level: int = zlib.Z_DEFAULT_COMPRESSION) -> Member:
        """`data` compressed, by default as `zipfile` compresses it."""
        squeezer = zlib.compressobj(level, zlib.DEFLATED, -15)
        compressed = squeezer.compress(data) + squeezer.flush()
        return cls(name.encode("utf-8"), data, compressed, zlib.crc32(data),
                   hashlib.sha256(data).digest())  # fmt: skip


_REMEMBERED: dict[tuple[str, int], Member] = {}  # by (name, id(data)); each keeps its data alive
_REMEMBER_AT_MOST = 512  # a long-lived process (the web page) sees many layouts


def remember(parts: Mapping[str, bytes]) -> None:
    """Compress `parts` now, for every document that will hold these very bytes."""
    if len(_REMEMBERED) + len(parts) > _REMEMBER_AT_MOST:
        _REMEMBERED.clear()
    for name, data in parts.items():
        _REMEMBERED[name, id(data)] = Member.of(name, data)


def shared(name: str, data: bytes) -> bytes:
    """`data`, remembered (see `remember`) if it is not yet: a part many documents hold."""
    if _remembered(name, data) is None:
        remember({name: data})
    return data


def member(name: str, data: bytes) -> Member:
    """The part ready to write: from memory when it is a remembered part, else compressed now.

    A part made for one document is compressed at zlib's quickest level: a few per cent
    larger, three times quicker.
    """
    return _remembered(name, data) or Member.of(name, data, zlib.Z_BEST_SPEED)


def digest(name: str, data: bytes) -> bytes:
    """SHA-256 of the part, remembered for the layout's shared parts."""
    found = _remembered(name, data)
    return found.digest if found is not None else hashlib.sha256(data).digest()


def _remembered(name: str, data: bytes) -> Member | None:
    # By identity: the very bytes remembered (kept alive by their Member), not equal ones.
    found = _REMEMBERED.get((name, id(data)))
    return found if found is not None and found.data is data else None


def in_office_order(names: Iterable[str]) -> list[str]:
    """[Content_Types].xml first, as Office writes it (some readers expect it there)."""
    return sorted(names, key=lambda n: (n != CONTENT_TYPES, n))


def pack(parts: Mapping[str, bytes]) -> bytes:
    """The zip holding `parts`, deflated, in Office's order."""
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name in in_office_order(parts):
        item = member(name, parts[name])
        common = struct.pack(
            "<HHHHHIIIH", _VERSION, _UTF8_NAME, _DEFLATED, _DOS_TIME, _DOS_DATE, item.crc,
            len(item.compressed), len(item.data), len(item.name),
        )  # fmt: skip
        local = b"PK\x03\x04" + common + b"\x00\x00" + item.name  # no extra field
        directory.append(
            b"PK\x01\x02" + struct.pack("<H", _VERSION) + common
            + struct.pack("<HHHHII", 0, 0, 0, 0, 0, offset) + item.name
        )  # fmt: skip
        chunks += (local, item.compressed)
        offset += len(local) + len(item.compressed)
    central = b"".join(directory)
    end = b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, len(directory), len(directory), len(central), offset, 0
    )
    return b"".join([*chunks, central, end])
