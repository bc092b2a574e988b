"""The writer's own rules, on real files: safe names, and superseding that never loses a file.

From the README ("What `output/` holds"): names are safe on Windows and cut to 60 characters
and 60 bytes so names in any script fit; `superseded/` holds agreements a newer one replaced,
renamed ``... (superseded 2026-11-23).docx``; nothing docgen made is ever deleted.
"""

from __future__ import annotations

import errno
import os
import tempfile
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from docgen.errors import FileInUse, FolderBusy, OutputError
from docgen.output import (
    FolderLock,
    NameRequest,
    assign_file_stems,
    check_writable,
    clear_temporary_files,
    safe_name_part,
    scan_documents,
    supersede,
    write_atomically,
)

NOW = datetime(2026, 11, 23, 10, 15, 2)
AMIRA = "Amira Khan - supervised by Joe Bloggs - sefton"


def test_characters_windows_forbids_in_a_file_name_become_spaces() -> None:
    assert safe_name_part('A/B\\C:D*E?F"G<H>I|J') == "A B C D E F G H I J"
    assert safe_name_part("Tab\there\x7fand\x00there") == "Tab here and there"


def test_spaces_run_together_and_trailing_dots_which_windows_drops_are_tidied() -> None:
    assert safe_name_part("  Amira \t  Khan  ") == "Amira Khan"
    assert safe_name_part("J. Bloggs Jr.") == "J. Bloggs Jr"
    assert safe_name_part(". Dot first") == "Dot first"


def test_a_cut_never_ends_a_name_with_a_space_or_a_dot() -> None:
    assert safe_name_part("A" * 58 + " . Bloggs") == "A" * 58
    assert safe_name_part("A" * 59 + ".Bloggs") == "A" * 59


@pytest.mark.parametrize(
    ("text", "expected"),
    [("CON", "_CON"), ("con", "_con"), ("Nul.team", "_Nul.team"), ("lpt1", "_lpt1"),
     ("Con O'Neill", "Con O'Neill"), ("Connor", "Connor")],
)  # fmt: skip
def test_names_windows_reserves_for_devices_are_not_used_alone(text: str, expected: str) -> None:
    assert safe_name_part(text) == expected


def test_two_rows_whose_names_clash_ignoring_case_both_get_their_row() -> None:
    stems = assign_file_stems([NameRequest(2, "Amira Khan", "Joe Bloggs", "sefton"),
                               NameRequest(7, "AMIRA KHAN", "joe bloggs", "sefton"),
                               NameRequest(9, "Kwame Mensah", "Joe Bloggs", "sefton")])  # fmt: skip
    assert stems == {
        2: "Amira Khan - supervised by Joe Bloggs - sefton (row 2)",
        7: "AMIRA KHAN - supervised by joe bloggs - sefton (row 7)",
        9: "Kwame Mensah - supervised by Joe Bloggs - sefton",
    }


def test_a_name_cut_after_a_joiner_drops_the_joiner() -> None:
    # 53 letters and a woman take 57 bytes; the joiner makes 60, the next woman would pass it.
    assert safe_name_part("a" * 53 + "\U0001f469\u200d\U0001f469") == "a" * 53 + "\U0001f469"


def test_a_name_cut_among_accents_leaves_no_accent_hanging() -> None:
    # x with a combining acute has no single character form, so each takes 3 bytes.
    name = safe_name_part("x\u0301" * 40)
    assert len(name.encode()) <= 60
    assert ("x\u0301" * 40).startswith(name)
    assert not unicodedata.combining(name[-1])


def test_a_long_plain_name_is_cut_to_60_characters() -> None:
    assert safe_name_part("X" * 70) == "X" * 60


def make(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_superseding_the_same_name_again_the_same_day_keeps_every_copy(tmp_path: Path) -> None:
    names = []
    for version in ("first", "second", "third"):
        make(tmp_path, f"{AMIRA}.docx", version)
        names.append(supersede(tmp_path, f"{AMIRA}.docx", NOW))
    assert names == [
        f"superseded/{AMIRA} (superseded 2026-11-23).docx",
        f"superseded/{AMIRA} (superseded 2026-11-23 10.15.02).docx",
        f"superseded/{AMIRA} (superseded 2026-11-23 10.15.02 2).docx",
    ]
    assert [(tmp_path / n).read_text(encoding="utf-8") for n in names] == [
        "first",
        "second",
        "third",
    ]
    assert not (tmp_path / f"{AMIRA}.docx").exists()


def test_the_calendar_file_goes_with_its_agreement(tmp_path: Path) -> None:
    make(tmp_path, f"{AMIRA}.docx", "agreement")
    make(tmp_path, f"{AMIRA}.ics", "calendar")
    new = supersede(tmp_path, f"{AMIRA}.docx", NOW)
    assert (tmp_path / new).with_suffix(".ics").read_text(encoding="utf-8") == "calendar"
    assert not (tmp_path / f"{AMIRA}.ics").exists()


def test_a_calendar_that_cannot_be_moved_does_not_stop_the_agreement_moving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, f"{AMIRA}.docx", "agreement")
    make(tmp_path, f"{AMIRA}.ics", "calendar")
    real_rename = os.rename

    def rename(source: object, target: object) -> None:
        if str(source).endswith(".ics"):
            raise PermissionError(13, "The process cannot access the file")
        real_rename(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", rename)
    new = supersede(tmp_path, f"{AMIRA}.docx", NOW)
    assert (tmp_path / new).read_text(encoding="utf-8") == "agreement"
    assert (tmp_path / f"{AMIRA}.ics").exists()  # left in place, not lost


def test_an_agreement_open_in_word_is_named_when_it_cannot_be_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Word on Windows holds an open document against moving; a patched rename plays it."""
    make(tmp_path, f"{AMIRA}.docx", "agreement")

    def rename(source: object, target: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(FileInUse) as raised:
        supersede(tmp_path, f"{AMIRA}.docx", NOW)
    assert str(raised.value).startswith(f"{tmp_path / AMIRA}.docx cannot be changed: it is open in")


def test_an_agreement_gone_before_it_could_be_moved_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as raised:
        supersede(tmp_path, f"{AMIRA}.docx", NOW)
    assert str(raised.value) == (f"{tmp_path / AMIRA}.docx cannot be moved to "
                                 f"{tmp_path / 'superseded'}: No such file or directory")  # fmt: skip


def test_a_second_run_into_a_locked_folder_is_told_who_holds_it(tmp_path: Path) -> None:
    """The issue: a lock holding the process id and start time; a second run stops with a
    sentence saying so. (Two locks in one process conflict as two processes' do.)"""
    first = FolderLock(tmp_path)
    first.acquire(NOW)
    try:
        with pytest.raises(FolderBusy) as raised:
            FolderLock(tmp_path).acquire(datetime(2026, 11, 23, 10, 20))
        message = str(raised.value)
        assert message.startswith(
            f"another docgen run is writing into {tmp_path} (process {os.getpid()} on "
        )
        assert message.endswith(", started 23/11/2026 10:15). Wait for it to finish, or choose "
                                "another output folder")  # fmt: skip
    finally:
        first.release()
    assert not (tmp_path / ".docgen-lock").exists()  # it goes when the run ends
    second = FolderLock(tmp_path)
    second.acquire(NOW)
    second.release()


@pytest.mark.parametrize(
    "content", ["", "not json", '{"pid": "x"}', '{"pid": 1, "started": "today"}']
)
def test_a_lock_file_that_says_nothing_useful_still_stops_a_second_run(
    tmp_path: Path, content: str
) -> None:
    first = FolderLock(tmp_path)
    first.acquire(NOW)
    try:
        (tmp_path / ".docgen-lock").write_text(content, encoding="utf-8")
        with pytest.raises(FolderBusy) as raised:
            FolderLock(tmp_path).acquire(NOW)
        assert str(raised.value).startswith(f"another docgen run is writing into {tmp_path}. Wait")
    finally:
        first.release()


def test_unfinished_files_left_by_a_killed_run_are_cleared_and_counted(tmp_path: Path) -> None:
    (tmp_path / "superseded").mkdir()
    left = [tmp_path / ".docgen-abc123.part", tmp_path / ".docgen-def456.part",
            tmp_path / "superseded" / ".docgen-789xyz.part"]  # fmt: skip
    for path in left:
        path.write_bytes(b"half an agreement")
    kept = [make(tmp_path, f"{AMIRA}.docx", "agreement"), make(tmp_path, "notes.part", "theirs")]
    assert clear_temporary_files(tmp_path) == 3
    assert not any(path.exists() for path in left)
    assert all(path.exists() for path in kept)
    assert clear_temporary_files(tmp_path) == 0


def test_an_output_folder_several_levels_down_is_made(tmp_path: Path) -> None:
    folder = tmp_path / "HR" / "Supervision" / "2026"
    check_writable(folder)
    assert folder.is_dir()
    assert list(folder.iterdir()) == []  # the probe it writes is gone


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (PermissionError(errno.EACCES, "Permission denied"),
         "cannot be written to (it is read-only, or you do not have permission); choose another output folder"),
        (OSError(errno.EROFS, "Read-only file system"),
         "cannot be written to (it is read-only, or you do not have permission); choose another output folder"),
        (OSError(errno.ENOSPC, "No space left on device"), "cannot be used: No space left on device"),
    ],
)  # fmt: skip
def test_a_folder_that_cannot_be_written_stops_the_run_with_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, message: str
) -> None:
    """Root may write anywhere here, so the operating system's refusal is played by a
    patched mkstemp (test_interruptions mounts a real read-only file system)."""

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise error

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError) as raised:
        check_writable(tmp_path)
    assert str(raised.value) == f"the folder {tmp_path} {message}"


def test_a_manifest_open_in_excel_is_named_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel on Windows holds an open workbook against writing; a patched open plays it."""
    manifest = make(tmp_path, "manifest.xlsx", "workbook")
    real_open = Path.open

    def held_open(self: Path, mode: str = "r", *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "manifest.xlsx" and "+" in mode:
            raise PermissionError(13, "The process cannot access the file")
        return real_open(self, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", held_open)
    with pytest.raises(FileInUse) as raised:
        check_writable(tmp_path, manifest, tmp_path / "not there yet.xlsx")
    assert str(raised.value).startswith(
        f"{manifest} cannot be changed: it is open in another program"
    )


def test_word_lock_files_are_skipped_and_the_agreements_after_them_still_found(
    tmp_path: Path,
) -> None:
    """While a document is open Word keeps a small "~$..." file beside it; names in other
    scripts sort after it, and those agreements must still be found."""
    (tmp_path / "superseded").mkdir()
    for name in ("Amira Khan.docx", "~$ira Khan.docx", "\u0141ukasz Nowak.docx", "\u738b\u5c0f\u660e.docx",
                 "superseded/Zoe (superseded 2026-11-23).docx"):  # fmt: skip
        make(tmp_path, name, "not a real document")
    (tmp_path / "folder.docx").mkdir()
    found = [e.name for e in scan_documents(tmp_path)]
    assert found == ["Amira Khan.docx", "\u0141ukasz Nowak.docx", "\u738b\u5c0f\u660e.docx",
                     "superseded/Zoe (superseded 2026-11-23).docx"]  # fmt: skip


def test_a_document_that_cannot_be_read_is_listed_as_not_docgens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, "a.docx", "not a real document")
    make(tmp_path, "b.docx", "not a real document")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "a.docx":
            raise PermissionError(13, "The process cannot access the file")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    found = scan_documents(tmp_path)
    assert [(e.name, e.stamp, e.untouched) for e in found] == [
        ("a.docx", None, False),
        ("b.docx", None, False),
    ]


def test_a_file_is_written_through_a_part_file_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed mid-write leaves only a ``.docgen-*.part`` file in the folder it was
    writing, which the next run clears; the new file appears whole, by a rename."""
    renames: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def replace(source: object, target: object) -> None:
        renames.append((Path(str(source)), Path(str(target))))
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "HR" / "2026" / f"{AMIRA}.docx"
    write_atomically(target, b"the agreement")
    [(source, moved_to)] = renames
    assert moved_to == target and source.parent == target.parent
    assert source.name.startswith(".docgen-") and source.name.endswith(".part")
    assert target.read_bytes() == b"the agreement"
    assert sorted(p.name for p in target.parent.iterdir()) == [f"{AMIRA}.docx"]


def test_a_written_file_can_be_read_by_others_as_any_saved_file_can(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomically(tmp_path / "a.docx", b"x")
    finally:
        os.umask(previous)
    assert (tmp_path / "a.docx").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("error", "expected", "message"),
    [
        (PermissionError(13, "The process cannot access the file"), FileInUse,
         "cannot be changed: it is open in another program"),
        (OSError(errno.ENOSPC, "No space left on device"), OutputError,
         "cannot be written: No space left on device"),
    ],
)  # fmt: skip
def test_a_write_that_fails_leaves_the_old_file_and_no_part_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, expected: type, message: str
) -> None:
    make(tmp_path, "a.docx", "the old agreement")

    def replace(source: object, target: object) -> None:
        raise error

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(expected) as raised:
        write_atomically(tmp_path / "a.docx", b"the new agreement")
    assert str(raised.value).startswith(f"{tmp_path / 'a.docx'} {message}")
    assert (tmp_path / "a.docx").read_text(encoding="utf-8") == "the old agreement"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_a_temporary_file_left_with_the_same_name_is_stepped_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed run whose process number comes round again left `.part` files with the
    names this run would use first: the write takes the next free name and leaves them."""
    import itertools

    from docgen import output

    monkeypatch.setattr(output, "_numbers", itertools.count())
    for number in range(3):
        (tmp_path / f".docgen-{os.getpid()}-{number}.part").write_bytes(b"left")
    write_atomically(tmp_path / "a.docx", b"new")
    assert (tmp_path / "a.docx").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.glob("*.part")) == [
        f".docgen-{os.getpid()}-{n}.part" for n in range(3)
    ]
