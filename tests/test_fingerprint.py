"""What an agreement says about itself, read back from its bytes alone.

The README ("Running it again: nothing is lost"): docgen writes custom document properties
named ``docgen ...`` into each agreement (the pair, the dates, and two fingerprints) and tells
an untouched agreement from an edited one from the file alone. A file that is not docgen's,
or that cannot be read, is never taken for one of its agreements.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date, datetime

import pytest
from docx import Document
from lxml import etree

from docgen.fingerprint import Stamp, inspect_document, read_parts, stamp_parts, write_parts


def stamp_document(data: bytes, stamp: Stamp) -> tuple[bytes, str]:
    """`data` stamped as docgen stamps an agreement it makes, and its content fingerprint."""
    parts = read_parts(data)
    content = stamp_parts(parts, stamp)
    return write_parts(parts), content


CUSTOM = "docProps/custom.xml"


def blank_docx(text: str = "Supervision agreement") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def full_stamp() -> Stamp:
    return Stamp(
        content="", input="in-1234", pair="p1-s1", person="p1", supervisee="Amira Khan",
        supervisor="Joe Bloggs", staff_id="E1001", layout="sefton", start=date(2026, 3, 2),
        review=date(2027, 3, 2), meetings=12, made=datetime(2026, 3, 1, 9, 30, 15),
        notes="Meeting 4 moved from Monday 25 May 2026 (bank holiday).",
    )  # fmt: skip


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_custom(data: bytes, custom: bytes) -> bytes:
    """`data` with its custom properties part replaced by `custom` (as another program
    might write it)."""
    parts = parts_of(data)
    parts[CUSTOM] = custom
    return zipped(parts)


def custom_part(properties: dict[str, str], doctype: str = "") -> bytes:
    body = "".join(
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
        f'pid="{pid}" name="{name}"><vt:lpwstr>{value}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + doctype +
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        + body + "</Properties>"
    ).encode()  # fmt: skip


def test_every_value_written_into_an_agreement_is_read_back_from_the_file() -> None:
    data, content = stamp_document(blank_docx(), full_stamp())
    found = inspect_document(data)
    assert found.untouched is True
    assert found.stamp == Stamp(
        content=content, input="in-1234", pair="p1-s1", person="p1", supervisee="Amira Khan",
        supervisor="Joe Bloggs", staff_id="E1001", layout="sefton", start=date(2026, 3, 2),
        review=date(2027, 3, 2), meetings=12, made=datetime(2026, 3, 1, 9, 30, 15),
        notes="Meeting 4 moved from Monday 25 May 2026 (bank holiday).",
    )  # fmt: skip


def test_the_properties_are_named_as_word_shows_them() -> None:
    """Word lists them under File > Info > Properties > Advanced > Custom."""
    data, _ = stamp_document(blank_docx(), full_stamp())
    custom = parts_of(data)[CUSTOM].decode()
    for name, value in [("docgen pair", "p1-s1"), ("docgen layout", "sefton"),
                        ("docgen staff id", "E1001"), ("docgen start", "2026-03-02"),
                        ("docgen review", "2027-03-02"), ("docgen meetings", "12"),
                        ("docgen made", "2026-03-01T09:30:15")]:  # fmt: skip
        assert f'name="{name}"><vt:lpwstr>{value}</vt:lpwstr>' in custom


def test_an_agreement_without_dates_writes_them_empty_and_reads_them_as_none() -> None:
    undated = Stamp(content="", input="i", pair="p1-s1", person="p1", supervisee="A",
                    supervisor="B", staff_id="", layout="sefton", start=None, review=None,
                    meetings=0, made=None)  # fmt: skip
    data, _ = stamp_document(blank_docx(), undated)
    custom = parts_of(data)[CUSTOM].decode()
    for name in ("docgen start", "docgen review", "docgen made", "docgen staff id"):
        assert (
            f'name="{name}"><vt:lpwstr/>' in custom
            or f'name="{name}"><vt:lpwstr></vt:lpwstr>' in custom
        )
    stamp = inspect_document(data).stamp
    assert stamp is not None
    assert (stamp.start, stamp.review, stamp.made, stamp.meetings) == (None, None, None, 0)


def test_any_change_to_the_document_is_an_edit_but_its_properties_are_not() -> None:
    data, _ = stamp_document(blank_docx(), full_stamp())
    parts = parts_of(data)
    edited = dict(parts, **{"word/document.xml": parts["word/document.xml"].replace(
        b"Supervision agreement", b"Supervision agreement, signed")})  # fmt: skip
    found = inspect_document(zipped(edited))
    assert found.stamp is not None and found.stamp.pair == "p1-s1"  # still known as ours
    assert found.untouched is False
    # A property someone adds in Word's Custom tab is not an edit of the agreement.
    extra = parts[CUSTOM].replace(
        b"</Properties>",
        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="99" name="Signed on">'
        b"<vt:lpwstr>10/03/2026</vt:lpwstr></property></Properties>",
    )
    assert inspect_document(zipped(dict(parts, **{CUSTOM: extra}))).untouched is True


def test_a_layouts_own_custom_properties_are_kept_and_docgens_replaced() -> None:
    template = with_custom(blank_docx(), custom_part({"Council": "Sefton", "docgen pair": "old"}))
    data, _ = stamp_document(template, full_stamp())
    custom = parts_of(data)[CUSTOM].decode()
    assert 'name="Council"><vt:lpwstr>Sefton</vt:lpwstr>' in custom
    assert custom.count('name="docgen pair"') == 1
    assert inspect_document(data).stamp.pair == "p1-s1"  # type: ignore[union-attr]


def test_each_property_has_the_office_user_property_id_and_a_number_of_its_own() -> None:
    """Office files user-defined properties under one format id, each with its own number
    from 2 up (0 and 1 are reserved); a clash makes Word drop or refuse them."""
    council = custom_part({"Council": "Sefton", "Directorate": "Adults"}).replace(
        b'pid="3"', b'pid="7"'
    )
    data, _ = stamp_document(with_custom(blank_docx(), council), full_stamp())
    root = etree.fromstring(parts_of(data)[CUSTOM])
    properties = root.findall(
        "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"
    )
    assert len(properties) == 2 + 14  # the council's two and docgen's fourteen
    assert {p.get("fmtid") for p in properties} == {"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"}
    pids = [int(p.get("pid")) for p in properties]
    assert len(set(pids)) == len(pids) and min(pids) >= 2
    assert [p.get("pid") for p in properties[:2]] == ["2", "7"]  # the council's own kept


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a Word document",
        b"PK\x03\x04 cut short",
        blank_docx(),  # a real document docgen did not make: no custom properties
        with_custom(blank_docx(), b"<Properties><property"),  # damaged properties
        with_custom(blank_docx(), custom_part({"Council": "Sefton"})),  # someone else's
        with_custom(blank_docx(), custom_part({"docgen pair": "p1-s1"})),  # no content fingerprint
        with_custom(blank_docx(), custom_part({"docgen content": "abc"})),  # no pair
    ],
    ids=["text", "broken zip", "plain docx", "bad xml", "other properties", "no content", "no pair"],
)  # fmt: skip
def test_a_file_that_is_not_one_of_docgens_agreements_is_never_taken_for_one(data: bytes) -> None:
    found = inspect_document(data)
    assert found.stamp is None
    assert found.untouched is False


def test_properties_someone_deleted_or_typed_over_read_as_empty_never_a_crash() -> None:
    """Word lets anyone delete or retype a custom property; the agreement is still known by
    its pair, and what is missing or unreadable reads as empty."""
    data = with_custom(blank_docx(), custom_part({"docgen content": "abc", "docgen pair": "p1-s1"}))
    stamp = inspect_document(data).stamp
    assert stamp == Stamp(content="abc", input="", pair="p1-s1", person="", supervisee="",
                          supervisor="", staff_id="", layout="", start=None, review=None,
                          meetings=0, made=None, notes="")  # fmt: skip
    typed_over = custom_part({"docgen content": "abc", "docgen pair": "p1-s1",
                              "docgen start": "2nd March", "docgen review": "",
                              "docgen made": "last Monday", "docgen meetings": "twelve"})  # fmt: skip
    stamp = inspect_document(with_custom(blank_docx(), typed_over)).stamp
    assert stamp is not None
    assert (stamp.start, stamp.review, stamp.made, stamp.meetings) == (None, None, None, 0)


def test_an_entity_in_a_documents_properties_is_never_expanded() -> None:
    """A hostile file can declare entities; the properties are read as written."""
    doctype = '<!DOCTYPE Properties [<!ENTITY who "Someone Else">]>'
    data = with_custom(blank_docx(), custom_part(
        {"docgen content": "abc", "docgen pair": "p1-s1", "docgen supervisee": "A &who; B"},
        doctype))  # fmt: skip
    stamp = inspect_document(data).stamp
    assert stamp is not None
    assert "Someone Else" not in stamp.supervisee
    assert stamp.supervisee == "A &who; B"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A" * 255, "A" * 255),  # the most a property holds, kept whole
        ("A" * 256, "A" * 254 + "\u2026"),  # one more: cut, and the cut shown
        ("A" * 253 + "  Khan", "A" * 253 + "\u2026"),  # no space left before the ellipsis
    ],
)  # fmt: skip
def test_a_value_longer_than_a_property_holds_is_cut_to_255_characters(
    value: str, expected: str
) -> None:
    """The issue: document properties hold 255 characters."""
    stamp = dataclasses.replace(full_stamp(), supervisee=value, notes=value)
    found = inspect_document(stamp_document(blank_docx(), stamp)[0]).stamp
    assert found is not None
    assert (found.supervisee, found.notes) == (expected, expected)


def office_parts() -> dict[str, bytes]:
    """A small document as Office lays one out, already carrying a property of the council's
    own (so its content types and relationships name the custom properties part)."""
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return {
        "[Content_Types].xml": (declaration +
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
            "</Types>").encode(),
        "_rels/.rels": (declaration +
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>'
            "</Relationships>").encode(),
        "word/document.xml": (declaration +
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Supervision agreement</w:t></w:r></w:p></w:body></w:document>").encode(),
        CUSTOM: custom_part({"Council": "Sefton"}),
    }  # fmt: skip


def test_a_layout_that_already_has_custom_properties_is_not_given_a_second_part() -> None:
    """Two entries for one part make Word call the file corrupt."""
    data, _ = stamp_document(zipped(office_parts()), full_stamp())
    parts = parts_of(data)
    types = parts["[Content_Types].xml"].decode()
    assert types.count('PartName="/docProps/custom.xml"') == 1
    rels = parts["_rels/.rels"].decode()
    assert rels.count("relationships/custom-properties") == 1
    assert inspect_document(data).untouched is True


def test_a_layout_without_custom_properties_gets_the_part_declared() -> None:
    plain = office_parts()
    del plain[CUSTOM]
    plain["[Content_Types].xml"] = plain["[Content_Types].xml"].replace(
        b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.custom-properties+xml"/>',
        b"",
    )
    plain["_rels/.rels"] = plain["_rels/.rels"].replace(
        b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/custom-properties" Target="docProps/custom.xml"/>',
        b"",
    )
    assert b"custom" not in plain["[Content_Types].xml"] + plain["_rels/.rels"]
    parts = parts_of(stamp_document(zipped(plain), full_stamp())[0])
    assert (
        '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.custom-properties+xml"/>'
    ) in parts["[Content_Types].xml"].decode()
    rels = parts["_rels/.rels"].decode()
    assert (
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'custom-properties" Target="docProps/custom.xml"'
    ) in rels
    assert rels.count('Id="rId1"') == 1  # the new relationship takes an id of its own


def test_the_package_is_compressed_with_its_content_types_first_as_office_writes_it() -> None:
    parts = office_parts()
    parts["Custom/item1.xml"] = b"<item/>"  # a part another tool added, named to sort early
    data, _ = stamp_document(zipped(parts), full_stamp())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in infos)


def test_an_agreement_made_by_an_earlier_docgen_is_still_known_as_untouched() -> None:
    """Agreements stay in people's folders for years: the way the content fingerprint is
    worked out must never change, or every untouched agreement would look edited. This is
    the fingerprint docgen 0.1.0 gave these exact parts."""
    parts = office_parts()
    parts[CUSTOM] = custom_part({
        "docgen content": "655f8a032df7fd591a7748e30b41b4b93775ef1e1b7a3ab525825e8ed1e502fe",
        "docgen pair": "p1-s1"})  # fmt: skip
    found = inspect_document(zipped(parts))
    assert found.stamp is not None and found.untouched is True


def test_a_meeting_moved_with_nothing_else_changed_gives_a_new_input_fingerprint(
    roster_path,
) -> None:
    """A bank holiday added by a newer holidays package moves a meeting without any change
    to the roster, the layout or the policy: the agreement must still be remade."""
    import dataclasses

    from docgen.agreements import input_fingerprint
    from docgen.pipeline import schedules

    from .conftest import row

    _, [planned] = schedules(roster_path([row()]))
    record, schedule = planned.record, planned.schedule
    first = schedule.meetings[0]
    moved = dataclasses.replace(first, day=date(2026, 3, 4), moved_from=first.day,
                                moved_because="a new bank holiday")  # fmt: skip
    other = dataclasses.replace(schedule, meetings=(moved, *schedule.meetings[1:]))
    assert input_fingerprint(record, schedule, "layout-1") == input_fingerprint(
        record, schedule, "layout-1"
    )
    assert input_fingerprint(record, other, "layout-1") != input_fingerprint(
        record, schedule, "layout-1"
    )
    assert input_fingerprint(record, schedule, "layout-2") != input_fingerprint(
        record, schedule, "layout-1"
    )


def test_a_property_of_wide_characters_fits_words_255_units() -> None:
    """Word counts a property's length in UTF-16 units, in which an emoji takes two."""
    stamp = dataclasses.replace(full_stamp(), supervisee="😀" * 200)
    data, _ = stamp_document(blank_docx(), stamp)
    found = inspect_document(data).stamp
    assert found is not None
    assert len(found.supervisee.encode("utf-16-le")) // 2 <= 255
    assert found.supervisee.startswith("😀" * 100) and found.supervisee.endswith("…")


def test_the_roster_part_of_the_input_fingerprint_is_as_earlier_versions_wrote_it(
    roster_path,
) -> None:
    """Folders made by earlier versions stay up to date: the roster part is still a SHA-256
    of the row's values as the standard library's `dataclasses.asdict` gives them (nested
    values too: leave, frequency, meeting day), in sorted JSON, cut to 24 characters."""
    import dataclasses
    import hashlib
    import json

    from docgen.agreements import input_fingerprint
    from docgen.pipeline import schedules

    from .conftest import row

    leave = [("Joe Bloggs", datetime(2026, 4, 6), datetime(2026, 4, 17))]
    _, [planned] = schedules(roster_path([row(Meeting_day="2nd Tuesday", Frequency="Monthly",
                                              Staff_ID="E123")], leave=leave))  # fmt: skip
    assert planned.record.leave  # nested values of their own, as asdict gives them
    values = dataclasses.asdict(planned.record)
    del values["row"], values["ref"]
    text = json.dumps(values, sort_keys=True, default=str)
    expected = hashlib.sha256(text.encode()).hexdigest()[:24]
    found = input_fingerprint(planned.record, planned.schedule, "layout-1")
    assert found.split()[0] == f"roster:{expected}"


@pytest.mark.parametrize("names", ["as Office names them", "named otherwise"])
def test_text_that_means_something_in_xml_is_read_back_exactly(names: str) -> None:
    """Ampersands, angle brackets, quotes, a carriage return and an emoji in a roster value
    come back as typed, whatever prefixes the layout's own properties part uses."""
    tricky = 'Siân O\'Neill & "Co" <Ltd>\r\nline two 😀'
    part = custom_part({"Council": "Sefton &amp; Wirral"})
    if names == "named otherwise":
        part = part.replace(b"xmlns:vt=", b"xmlns:t=").replace(b"vt:lpwstr", b"t:lpwstr")
    stamp = dataclasses.replace(full_stamp(), supervisee=tricky, notes=tricky)
    data, _ = stamp_document(with_custom(blank_docx(), part), stamp)
    found = inspect_document(data)
    assert found.untouched
    assert found.stamp == dataclasses.replace(stamp, content=found.stamp.content)  # type: ignore[union-attr]
    root = etree.fromstring(parts_of(data)[CUSTOM])
    council = root.find("{*}property[@name='Council']")
    assert council is not None and council.get("pid") == "2"
    assert [child.text for child in council] == ["Sefton & Wirral"]


def test_the_dates_part_of_the_input_fingerprint_is_as_earlier_versions_wrote_it(
    roster_path,
) -> None:
    """The dates part is a SHA-256 of each meeting's day, where it moved from and why, the
    review date and the schedule's notes, in JSON, cut to 24 characters; any of them
    changing changes it."""
    import hashlib
    import json

    from docgen.agreements import input_fingerprint
    from docgen.pipeline import schedules
    from docgen.policy import Frequency
    from docgen.schedule import Meeting, Schedule

    from .conftest import row

    monthly = Frequency("month", 1)
    meetings = (
        Meeting(date(2026, 3, 3), monthly),
        Meeting(date(2026, 4, 14), monthly, date(2026, 4, 7), "supervisor on leave"),
    )
    schedule = Schedule(meetings, date(2026, 3, 3), date(2027, 3, 3), ("A note.",))
    text = json.dumps([[["2026-03-03", None, ""], ["2026-04-14", "2026-04-07",
                                                   "supervisor on leave"]],
                       "2027-03-03", ["A note."]], sort_keys=True)  # fmt: skip
    expected = hashlib.sha256(text.encode()).hexdigest()[:24]
    _, [planned] = schedules(roster_path([row()]))
    record = planned.record
    assert input_fingerprint(record, schedule, "layout-1").split()[2] == f"dates:{expected}"
    changed = [
        dataclasses.replace(schedule, notes=("Another note.",)),
        dataclasses.replace(schedule, meetings=(meetings[0], dataclasses.replace(
            meetings[1], moved_because="bank holiday"))),
    ]  # fmt: skip
    for other in changed:
        assert input_fingerprint(record, other, "layout-1").split()[2] != f"dates:{expected}"
