"""Re-runs that respect people's work: up to date, changed, edited, superseded, Staff ID."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from docgen import Extras, Options, generate
from docgen.errors import RosterProblems

from .conftest import document_text, row
from .conftest import run_cli as run

AMIRA = "Amira Khan - supervised by Joe Bloggs - sefton.docx"
KWAME = "Kwame Mensah - supervised by Joe Bloggs - sefton.docx"


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` with its modification time and bytes."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*")) if p.is_file()
    }  # fmt: skip


def edit_in_word(
    path: Path, text: str = "Agreed in our first session: cases reviewed fortnightly."
) -> None:
    """What a manager does: open the agreement, type, save (python-docx keeps custom
    properties, as Word does)."""
    document = Document(str(path))
    document.add_paragraph(text)
    document.save(str(path))


def manifest_rows(folder: Path) -> list[dict[str, object]]:
    sheet = load_workbook(folder / "manifest.xlsx")["Agreements"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], values, strict=True)) for values in rows[1:]]


def test_the_same_command_twice_writes_nothing_the_second_time(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(), row(supervisee="Kwame Mensah")])
    out = tmp_path / "out"
    assert run("generate", str(roster), "--out", str(out))[0] == 0
    before = snapshot(out)
    code, _, err = run("generate", str(roster), "--out", str(out))
    assert code == 0, err
    assert "2 up to date" in err and "Nothing new to make" in err
    after = snapshot(out)
    # Not one file was rewritten: the agreements, and the manifest's rows apart from its own
    # write, are as they were.
    for name in (AMIRA, KWAME):
        assert after[name] == before[name]
    assert set(after) == set(before)


@pytest.mark.parametrize("damage", ["deleted", "garbage", "hand-extended"])
def test_untouched_agreements_are_known_without_the_manifest(
    tmp_path: Path, roster_path, damage: str
) -> None:
    roster = roster_path([row(), row(supervisee="Kwame Mensah")])
    out = tmp_path / "out"
    generate(roster, out)
    manifest = out / "manifest.xlsx"
    if damage == "deleted":
        manifest.unlink()
    elif damage == "garbage":
        manifest.write_bytes(b"this is not a workbook")
    else:
        workbook = load_workbook(manifest)
        workbook["Agreements"]["A2"] = "Someone typed over this"
        workbook.create_sheet("Notes")["A1"] = "Chase signatures in March"
        workbook.save(manifest)
    before = snapshot(out)
    result = generate(roster, out)
    assert [o.action for o in result.outcomes] == ["up to date", "up to date"]
    assert result.documents == []
    assert not (out / "superseded").exists()
    assert not [p for p in out.glob("*.docx") if "edited" in p.name]
    assert snapshot(out)[AMIRA] == before[AMIRA]
    assert {r["Status"] for r in manifest_rows(out)} == {"up to date"}
    if damage == "garbage":  # the unreadable manifest is kept, not lost
        [copy] = out.glob("manifest (kept *).xlsx")
        assert copy.read_bytes() == b"this is not a workbook"
    if damage == "hand-extended":
        assert (
            load_workbook(out / "manifest.xlsx")["Notes"]["A1"].value == "Chase signatures in March"
        )


def test_a_changed_row_supersedes_the_old_agreement(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    generate(roster_path([row()]), out, now=datetime(2026, 3, 1, 9, 0))
    original = (out / AMIRA).read_bytes()
    changed = roster_path([row(Meeting_time="14:00")], name="changed.xlsx")
    code, _, err = run("generate", str(changed), "--out", str(out))
    assert code == 0, err
    [old] = (out / "superseded").glob("*.docx")
    assert old.read_bytes() == original  # the copy someone may have printed and signed
    assert old.name.startswith("Amira Khan - supervised by Joe Bloggs - sefton (superseded ")
    assert "Tuesday 3 March 2026, 14:00" in "\n".join(document_text(out / AMIRA))
    assert (
        f"{AMIRA}: replaced because the roster row changed; the old one is kept as superseded/"
        in err
    )
    statuses = {r["File"]: r["Status"] for r in manifest_rows(out)}
    assert statuses[AMIRA] == "made"
    assert statuses["superseded/" + old.name] == "superseded"


def test_an_edited_agreement_is_left_exactly_where_it_is(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row()])
    out = tmp_path / "out"
    generate(roster, out)
    edit_in_word(out / AMIRA)
    edited = (out / AMIRA).read_bytes()
    code, _, err = run("generate", str(roster), "--out", str(out))
    assert code == 0
    assert (out / AMIRA).read_bytes() == edited
    assert f"{AMIRA} was edited in Word since docgen made it; left as it is." in err
    assert list(out.glob("*.docx")) == [out / AMIRA]
    assert [r["Status"] for r in manifest_rows(out)] == ["edited in Word"]


def test_an_edited_agreement_whose_row_changed_waits_for_replace_edited(
    tmp_path: Path, roster_path
) -> None:
    out = tmp_path / "out"
    generate(roster_path([row()]), out)
    edit_in_word(out / AMIRA, "Signed by both of us.")
    edited = (out / AMIRA).read_bytes()
    changed = roster_path([row(Key_tasks="Southport court work")], name="changed.xlsx")
    code, _, err = run("generate", str(changed), "--out", str(out))
    assert code == 0
    assert (out / AMIRA).read_bytes() == edited
    assert not (out / "superseded").exists()
    assert "was edited in Word, and the roster row changed" in err
    assert "run again with --replace-edited" in err
    assert [r["Status"] for r in manifest_rows(out)] == ["edited in Word; roster changed"]

    code, _, err = run("generate", str(changed), "--out", str(out), "--replace-edited")
    assert code == 0, err
    [kept] = (out / "superseded").glob("*.docx")
    assert kept.read_bytes() == edited
    assert "Signed by both of us." not in "\n".join(document_text(out / AMIRA))
    assert "Southport court work" in "\n".join(document_text(out / AMIRA))


def test_a_file_docgen_did_not_make_is_never_overwritten(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    theirs = Document()
    theirs.add_paragraph("Typed by hand last year")
    theirs.save(str(out / AMIRA))
    hand_made = (out / AMIRA).read_bytes()
    code, _, err = run("generate", str(roster_path([row()])), "--out", str(out))
    assert code == 0, err
    assert (out / AMIRA).read_bytes() == hand_made
    ours = out / AMIRA.replace(".docx", " (2).docx")
    assert ours.exists()
    assert (
        f"{AMIRA} is not an agreement docgen made, so it was left as it is; "
        f"the new agreement is {ours.name}" in err
    )
    # And the next run knows its own agreement and leaves both alone.
    result = generate(roster_path([row()]), out)
    assert [o.action for o in result.outcomes] == ["up to date"]


def test_a_person_who_left_the_roster_keeps_their_agreement(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    generate(roster_path([row(), row(supervisee="Kwame Mensah")]), out)
    code, _, err = run("generate", str(roster_path([row()], name="later.xlsx")), "--out", str(out))
    assert code == 0
    assert (out / KWAME).exists()
    assert f"{KWAME}: Kwame Mensah is no longer on the roster; the agreement is kept." in err
    statuses = {r["Supervisee"]: r["Status"] for r in manifest_rows(out)}
    assert statuses == {"Amira Khan": "up to date", "Kwame Mensah": "left the roster"}


def test_staff_id_follows_a_person_whose_name_changed(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    generate(roster_path([row(Staff_ID="E1001")]), out)
    renamed = roster_path([row(Staff_ID="E1001", supervisee="Amira Shah")], name="renamed.xlsx")
    result = generate(renamed, out)
    [outcome] = result.outcomes
    assert outcome.action == "replaced"
    assert outcome.superseded_as is not None and outcome.superseded_as.name.startswith("Amira Khan")
    assert (out / "Amira Shah - supervised by Joe Bloggs - sefton.docx").exists()
    assert not (out / AMIRA).exists()  # moved to superseded/, not reported as a leaver
    rows = manifest_rows(out)
    assert {r["Staff ID"] for r in rows} == {"E1001"}
    assert len({r["Pair key"] for r in rows}) == 1  # one pair, two agreements


def test_without_staff_id_the_same_name_is_the_same_person(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    generate(roster_path([row()]), out)
    result = generate(roster_path([row(supervisee="  amira   KHAN ")], name="again.xlsx"), out)
    assert [o.action for o in result.outcomes] == ["replaced"]  # same person, new spelling


def test_identical_duplicate_rows_are_one_error_naming_every_row(
    roster_path, tmp_path: Path
) -> None:
    roster = roster_path([row(Key_tasks="Court work")] * 5000)
    with pytest.raises(RosterProblems) as raised:
        generate(roster, tmp_path / "out")
    errors = [p for p in raised.value.problems if p.severity == "error"]
    assert len(errors) == 1
    assert "on 5000 rows: 2 to 5001" in str(errors[0])
    assert "starting 02/03/2026" in str(errors[0])
    assert not (tmp_path / "out").exists()


def test_the_same_supervisee_twice_is_a_warning_naming_both_rows(
    roster_path, tmp_path: Path
) -> None:
    roster = roster_path(
        [row(), row(supervisor="Priya Raman"), row(Start_date=datetime(2026, 9, 1))]
    )
    result = generate(roster, tmp_path / "out")
    warnings = [str(w) for w in result.warnings]
    assert any("Roster!C3 (Supervisee)" in w and "is also on row 2" in w
               and "another supervisor" in w for w in warnings)  # fmt: skip
    assert any(
        "Roster!C4" in w and "is also on row 2" in w and "another start date" in w for w in warnings
    )
    assert len(result.documents) == 3


def test_manifest_is_a_record_for_people(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    generate(roster_path([row(Staff_ID="E1001")]), out, now=datetime(2026, 3, 1, 9, 30))
    sheet = load_workbook(out / "manifest.xlsx")["Agreements"]
    header = [c.value for c in sheet[1]]
    cells = {name: sheet.cell(2, index + 1) for index, name in enumerate(header)}
    assert cells["Start date"].value == datetime(2026, 3, 2)
    assert cells["Start date"].number_format == "dd/mm/yyyy"
    assert cells["Review date"].value == datetime(2027, 3, 2)
    assert cells["Made"].value == datetime(2026, 3, 1, 9, 30)
    assert cells["Made"].number_format.startswith("dd/mm/yyyy")
    assert cells["File"].value == AMIRA
    assert cells["File"].hyperlink.target == AMIRA.replace(" ", "%20").replace("'", "%27")
    assert cells["Status"].value == "made"
    assert cells["Staff ID"].value == "E1001"
    assert len(cells["Input fingerprint"].value) >= 16
    assert sheet.column_dimensions["A"].width >= 20


def test_columns_people_add_to_the_manifest_stay_with_their_agreement(
    tmp_path: Path, roster_path
) -> None:
    out = tmp_path / "out"
    generate(roster_path([row(), row(supervisee="Kwame Mensah")]), out)
    workbook = load_workbook(out / "manifest.xlsx")
    sheet = workbook["Agreements"]
    sheet.cell(1, sheet.max_column + 1, "Signed on")
    signed = sheet.max_column
    files = [sheet.cell(r, [c.value for c in sheet[1]].index("File") + 1).value for r in (2, 3)]
    sheet.cell(2 + files.index(AMIRA), signed, datetime(2026, 3, 10))
    workbook.create_sheet("Notes")["A1"] = "Chase Kwame's signature"
    workbook.save(out / "manifest.xlsx")
    # Amira's row changes: her signed agreement is superseded, and "Signed on" goes with it.
    generate(
        roster_path([row(Meeting_time="15:00"), row(supervisee="Kwame Mensah")], name="b.xlsx"), out
    )
    rows = manifest_rows(out)
    by_status = {(r["Supervisee"], r["Status"]): r for r in rows}
    assert by_status[("Amira Khan", "superseded")]["Signed on"] == datetime(2026, 3, 10)
    assert by_status[("Amira Khan", "made")]["Signed on"] is None
    assert load_workbook(out / "manifest.xlsx")["Notes"]["A1"].value == "Chase Kwame's signature"
    assert not list(out.glob("manifest (kept*"))


def test_what_cannot_be_matched_in_their_manifest_is_kept_as_a_dated_copy(
    tmp_path: Path, roster_path
) -> None:
    out = tmp_path / "out"
    generate(roster_path([row()]), out)
    workbook = load_workbook(out / "manifest.xlsx")
    sheet = workbook["Agreements"]
    sheet.cell(1, sheet.max_column + 1, "Comment")
    sheet.cell(5, sheet.max_column, "A row I typed myself")
    workbook.save(out / "manifest.xlsx")
    code, _, err = run("generate", str(roster_path([row()], name="b.xlsx")), "--out", str(out))
    assert code == 0
    [copy] = out.glob("manifest (kept *).xlsx")
    assert "A row I typed myself" in [c.value for c in load_workbook(copy)["Agreements"]["E"]] + [
        load_workbook(copy)["Agreements"]
        .cell(5, load_workbook(copy)["Agreements"].max_column)
        .value
    ]
    assert f"your version is kept as {copy.name}" in err


def test_formula_looking_roster_text_stays_text_in_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    hostile = ['=HYPERLINK("http://evil","x")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=2"]
    roster = tmp_path / "roster.csv"
    lines = ["Layout,Supervisee,Staff ID,Supervisor,Role,Start date,Key tasks"]
    quoted = ['"' + text.replace('"', '""') + '"' for text in hostile]
    lines += [
        f'sefton,Person {i},{text},{text[:-1]}x",Social worker,02/03/2026,Court work'
        for i, text in enumerate(quoted)
    ]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    generate(roster, out)
    sheet = load_workbook(out / "manifest.xlsx")["Agreements"]
    header = [c.value for c in sheet[1]]
    staff, supervisor = header.index("Staff ID"), header.index("Supervisor")
    seen = set()
    for cells in sheet.iter_rows(min_row=2):
        assert cells[staff].data_type == "s" and cells[supervisor].data_type == "s"
        seen.add(cells[staff].value)
    assert '=HYPERLINK("http://evil","x")' in seen and "@SUM(A1)" in seen
    with zipfile.ZipFile(out / "manifest.xlsx") as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_a_document_carries_its_fingerprint_in_its_properties(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    generate(roster_path([row(Staff_ID="E1001")]), out)
    with zipfile.ZipFile(out / AMIRA) as archive:
        custom = archive.read("docProps/custom.xml").decode()
        types = archive.read("[Content_Types].xml").decode()
    assert 'name="docgen content"' in custom and 'name="docgen input"' in custom
    assert "<vt:lpwstr>E1001</vt:lpwstr>" in custom
    assert "custom-properties+xml" in types


def test_out_inside_a_layouts_folder_is_refused(tmp_path: Path, roster_path) -> None:
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    source = Path(__file__).resolve().parent.parent / "templates_docx"
    for name in ("sefton.docx", "sefton.toml"):
        (layouts / name).write_bytes((source / name).read_bytes())
    code, _, err = run("generate", str(roster_path([row()])), "--templates", str(layouts),
                       "--out", str(layouts / "out"))  # fmt: skip
    assert code == 1
    assert "is inside the layouts folder" in err
    assert not (layouts / "out").exists()
    with pytest.raises(Exception, match="inside the layouts folder"):
        generate(roster_path([row()]), layouts / "x", Options(templates_dir=layouts))


@pytest.mark.parametrize(
    ("supervisee", "supervisor"),
    [("A" * 240, "Joe Bloggs"), ("汉" * 45, "字" * 45), ("😀" * 60, "Joe Bloggs"),
     ("👩‍👩‍👧" * 30, "e\u0301" * 80)],
)  # fmt: skip
def test_long_and_wide_names_still_make_a_file(
    tmp_path: Path, roster_path, supervisee: str, supervisor: str
) -> None:
    out = tmp_path / "out"
    result = generate(roster_path([row(supervisee=supervisee, supervisor=supervisor)]), out)
    [document] = result.documents
    assert len(document.name.encode()) <= 200
    assert len(document.name.encode("utf-16-le")) // 2 <= 200
    assert Document(str(document)).core_properties.title  # reopens
    # and a re-run still knows it
    assert [
        o.action
        for o in generate(
            roster_path([row(supervisee=supervisee, supervisor=supervisor)], name="again.xlsx"), out
        ).outcomes
    ] == ["up to date"]


def test_a_replaced_agreements_calendar_carries_every_earlier_event(
    tmp_path: Path, roster_path
) -> None:
    """Importing the new calendar file must update or cancel each event the old one made,
    or the supervisor's calendar keeps stale meetings."""
    from icalendar import Calendar

    out = tmp_path / "out"
    generate(roster_path([row()]), out, extras=Extras(calendars=True))
    generate(
        roster_path([row(Frequency="fortnightly")], name="b.xlsx"),
        out,
        extras=Extras(calendars=True),
    )
    [old] = (out / "superseded").glob("*.ics")
    new = out / AMIRA.replace(".docx", ".ics")

    def events(path: Path) -> dict[str, str]:
        calendar = Calendar.from_ical(path.read_bytes())
        return {str(e["UID"]): str(e.get("STATUS", "CONFIRMED")) for e in calendar.walk("VEVENT")}

    before, after = events(old), events(new)
    assert set(before) <= set(after)
    assert "CANCELLED" in {after[uid] for uid in before}  # monthly meetings gone
    assert sum(status != "CANCELLED" for status in after.values()) >= 24  # fortnightly now


def test_a_layout_that_breaks_a_limit_stops_the_run_before_any_agreement(
    tmp_path: Path, roster_path
) -> None:
    from docgen.errors import TemplateError

    from .test_render_and_cli import own_layout

    folder = own_layout(tmp_path / "layouts",
                        "{% for i in range(99999) %}{% for j in range(99999) %}."
                        "{% endfor %}{% endfor %}")  # fmt: skip
    roster = roster_path([row(), row(supervisee="Kwame Mensah", Layout="ours")])
    with pytest.raises(TemplateError, match="ours.docx"):
        generate(roster, tmp_path / "out", Options(templates_dir=folder))
    assert not (tmp_path / "out").exists()  # the sefton row before it was not made either


def test_a_damaged_agreement_is_moved_aside_and_made_again(tmp_path: Path, roster_path) -> None:
    """After a power cut a file can be left empty or cut short: it is no Word document
    anyone edited (Word never writes one), so it is kept aside and the agreement remade."""
    out = tmp_path / "out"
    generate(roster_path([row(), row(supervisee="Kwame Mensah")]), out)
    whole = (out / KWAME).read_bytes()
    (out / AMIRA).write_bytes(b"")
    (out / KWAME).write_bytes(whole[: len(whole) // 2])
    changed = roster_path([row(), row(supervisee="Kwame Mensah")], name="b.xlsx")
    code, _, err = run("generate", str(changed), "--out", str(out))
    assert code == 0, err
    assert f"{AMIRA} could not be opened as a Word file" in err
    assert f"{KWAME} could not be opened as a Word file" in err
    assert Document(str(out / AMIRA)).paragraphs and Document(str(out / KWAME)).paragraphs
    kept = sorted((out / "superseded").glob("*.docx"))
    assert sorted(p.stat().st_size for p in kept) == [0, len(whole) // 2]
    assert not list(out.glob("* (2).docx"))


def test_generate_shows_each_layouts_check_warnings_once(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(Layout="contract", supervisee=f"Person {n}") for n in range(3)])
    code, _, err = run("generate", str(roster), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert err.count("contract.docx: names the General Social Care Council") == 1


def test_the_manifest_names_the_bank_holiday_data_used(tmp_path: Path, roster_path) -> None:
    from importlib.metadata import version

    generate(roster_path([row()]), tmp_path / "out")
    [entry] = manifest_rows(tmp_path / "out")
    assert entry["Bank holiday data"] == f"holidays {version('holidays')}"


def test_start_dates_are_judged_against_the_runs_own_date(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(Start_date=datetime(2026, 3, 2))])
    near = generate(roster, tmp_path / "a", now=datetime(2026, 3, 1, 9, 0))
    far = generate(roster, tmp_path / "b", now=datetime(2029, 1, 1, 9, 0))
    assert not any("years before today" in str(w) for w in near.warnings)
    assert any("more than 2 years before today (01/01/2029)" in str(w) for w in far.warnings)


def test_a_rerun_repeats_no_schedule_note_for_an_agreement_it_left_alone(
    tmp_path: Path, roster_path
) -> None:
    # The note is said when the agreement is made; an up-to-date agreement printed
    # "Schedule: []" once per note on every later run.
    leave = [("Joe Bloggs", datetime(2026, 8, 1), datetime(2026, 8, 31))]
    roster = roster_path([row(Start_date=datetime(2026, 3, 2))], leave=leave)
    out = tmp_path / "out"
    code, _, err = run("generate", str(roster), "--out", str(out))
    assert code == 0, err
    assert "Schedule: Row 2 (Amira Khan): No working day could be found in August 2026" in err
    code, _, err = run("generate", str(roster), "--out", str(out))
    assert code == 0, err
    assert "1 up to date" in err
    assert "Schedule:" not in err


def test_calendar_invitations_are_a_mode_of_their_own(tmp_path: Path, roster_path) -> None:
    roster = roster_path([row(Supervisor_email="joe.bloggs@example.gov.uk",
                              Supervisee_email="amira.khan@example.gov.uk")])  # fmt: skip
    code, _, err = run("generate", str(roster), "--out", str(tmp_path / "a"), "--ics")
    assert code == 0, err
    published = (tmp_path / "a" / AMIRA.replace(".docx", ".ics")).read_text()
    assert "METHOD:PUBLISH" in published and "ATTENDEE" not in published
    code, _, err = run("generate", str(roster), "--out", str(tmp_path / "b"), "--ics-invitations")
    assert code == 0, err
    invitation = (tmp_path / "b" / AMIRA.replace(".docx", ".ics")).read_text()
    assert "METHOD:REQUEST" in invitation
    assert "mailto:amira.khan@example.gov.uk" in invitation.replace("\n ", "")  # unfolded
