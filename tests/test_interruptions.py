"""Runs stopped part way (killed, Ctrl-C), run twice at once, or left behind: real processes."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from .conftest import row, write_roster

ROWS = 320  # enough for the worker processes to be used


@pytest.fixture(scope="module")
def big_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roster")
    return write_roster(folder / "roster.xlsx",
                        [row(supervisee=f"Person {n:03d}") for n in range(ROWS)])  # fmt: skip


def start(roster: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "docgen", "generate", str(roster), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def wait_for_documents(out: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.docx"))) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.01)


def finish(roster: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docgen", "generate", str(roster), "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def assert_whole_and_complete(out: Path) -> None:
    documents = sorted(out.glob("*.docx"))
    assert len(documents) == ROWS
    assert not (out / "superseded").exists(), "a re-run after a crash superseded something"
    assert not [p for p in out.iterdir() if p.name.startswith(".docgen")], "left-over files"
    for document in documents[:: ROWS // 10]:
        assert Document(str(document)).paragraphs  # opens: never half a document
    sheet = load_workbook(out / "manifest.xlsx")["Agreements"]
    files = {r[0] for r in sheet.iter_rows(min_row=2, min_col=7, max_col=7, values_only=True)}
    assert files == {p.name for p in documents}


@pytest.mark.parametrize("after", [1, 80, 200])
def test_killed_run_is_finished_by_the_same_command(
    tmp_path: Path, big_roster: Path, after: int
) -> None:
    out = tmp_path / "out"
    process = start(big_roster, out)
    wait_for_documents(out, after, process)
    process.kill()
    process.communicate()
    made_before = len(list(out.glob("*.docx")))
    done = finish(big_roster, out)
    assert done.returncode == 0, done.stderr
    assert "edited" not in done.stderr
    if made_before < ROWS:  # (a fast machine may finish before the kill lands)
        assert f"Made {ROWS - made_before} agreement" in done.stderr
        assert f"{made_before} up to date" in done.stderr or made_before == 0
    assert_whole_and_complete(out)


def test_ctrl_c_stops_cleanly_and_the_rerun_finishes(tmp_path: Path, big_roster: Path) -> None:
    out = tmp_path / "out"
    process = start(big_roster, out)
    wait_for_documents(out, 20, process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert b"Stopped" in err and b"Traceback" not in err
    assert not [p for p in out.iterdir() if p.name.startswith(".docgen")]
    # The manifest written on the way out lists exactly what is there.
    sheet = load_workbook(out / "manifest.xlsx")["Agreements"]
    listed = {r[0] for r in sheet.iter_rows(min_row=2, min_col=7, max_col=7, values_only=True)}
    assert listed == {p.name for p in out.glob("*.docx")}
    done = finish(big_roster, out)
    assert done.returncode == 0, done.stderr
    assert_whole_and_complete(out)


def listed_in_manifest(out: Path) -> set[str]:
    sheet = load_workbook(out / "manifest.xlsx")["Agreements"]
    return {r[0] for r in sheet.iter_rows(min_row=2, min_col=7, max_col=7, values_only=True)}


def there(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*.docx")}


@pytest.mark.parametrize("step", ["place", "write_atomically", "supersede"])
def test_ctrl_c_just_as_a_file_moves_leaves_it_in_the_manifest(
    tmp_path: Path, roster_path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """Ctrl+C pressed the moment an agreement is moved into place (or an old one moved to
    superseded/): the run still stops, and the manifest lists exactly what is there."""
    import docgen.agreements
    import docgen.pipeline
    from docgen import Options, generate
    from docgen.output import spool

    out = tmp_path / "out"
    first = roster_path([row(supervisee=f"Person {n}") for n in range(3)])
    if step == "supersede":
        generate(first, out)
    changed = roster_path([row(supervisee=f"Person {n}", meeting_time="14:00") for n in range(3)],
                          name="changed.xlsx")  # fmt: skip
    real = getattr(docgen.pipeline, step)
    calls = []

    def then_ctrl_c(*args, **kwargs):  # type: ignore[no-untyped-def]
        done = real(*args, **kwargs)
        calls.append(args)
        if len(calls) == 2:
            signal.raise_signal(signal.SIGINT)
        return done

    monkeypatch.setattr(docgen.pipeline, step, then_ctrl_c)
    if step == "place":  # as workers do, each agreement written first as a temporary file
        render = docgen.agreements.render

        def spooled(*args):  # type: ignore[no-untyped-def]
            made = render(*args)
            return dataclasses.replace(made, data=b"", spooled=spool(out, made.data))

        monkeypatch.setattr(docgen.agreements, "render", spooled)
    with pytest.raises(KeyboardInterrupt):
        generate(changed, out, Options(), now=datetime(2026, 11, 23, 10, 15))
    assert len(calls) == 2
    assert listed_in_manifest(out) == there(out)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_held_for_one_step_still_stops_after_it() -> None:
    from docgen.output import one_step

    finished = []
    with pytest.raises(KeyboardInterrupt):
        with one_step():
            signal.raise_signal(signal.SIGINT)
            finished.append(True)
    assert finished == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_second_run_into_a_busy_folder_stops_with_a_sentence(tmp_path: Path, roster_path) -> None:
    """Another run holds the folder (a real process, holding docgen's lock as a run does):
    a second run stops with a sentence naming it, and goes ahead once it has ended."""
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom datetime import datetime\n"
         "from pathlib import Path\nfrom docgen.output import FolderLock\n"
         "FolderLock(Path(sys.argv[1])).acquire(datetime(2026, 11, 23, 10, 15))\n"
         "print('holding', flush=True)\ntime.sleep(120)\n", str(out)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        roster = roster_path([row()])
        second = finish(roster, out)
        assert second.returncode == 1
        assert (f"another docgen run is writing into {out} (process {holder.pid} on "
                f"{os.uname().nodename}, started 23/11/2026 10:15)") in second.stderr  # fmt: skip
        assert "Traceback" not in second.stderr
        assert not list(out.glob("*.docx"))
    finally:
        holder.kill()
        holder.communicate()
    third = finish(roster, out)
    assert third.returncode == 0, third.stderr
    assert len(list(out.glob("*.docx"))) == 1


def test_a_lock_left_by_a_dead_run_is_taken_over(tmp_path: Path, roster_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    (out / ".docgen-lock").write_text(
        json.dumps(
            {"pid": int(dead.stdout), "started": "01/01/2026 09:00", "host": os.uname().nodename}
        )
    )
    (out / ".docgen-abc123.part").write_bytes(b"half a document")
    done = finish(roster_path([row()]), out)
    assert done.returncode == 0, done.stderr
    assert "Cleared 1 unfinished file(s) left by an interrupted run." in done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "Amira Khan - supervised by Joe Bloggs - sefton.docx",
        "manifest.xlsx",
    ]


def can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and sys.platform.startswith("linux")


def mounted(folder: Path, options: str, test: str):  # type: ignore[no-untyped-def]
    """A real file system (tmpfs) mounted at `folder` with `options`, for the `test`."""
    if not can_mount():
        if os.environ.get("CI"):
            pytest.fail(f"the {test} test needs root to mount a file system, as CI has")
        pytest.skip("needs root to mount a file system")
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real 160 KB file system (tmpfs), which a run fills part way through."""
    yield from mounted(tmp_path / "disk", "size=160k", "full-disk")


def test_a_full_disk_stops_the_run_and_the_rerun_finishes(small_disk: Path, roster_path) -> None:
    roster = roster_path([row(supervisee=f"Person {n:02d}") for n in range(40)])
    out = small_disk / "out"
    stopped = finish(roster, out)
    assert stopped.returncode == 1, stopped.stderr
    assert "No space left on device" in stopped.stderr and "Traceback" not in stopped.stderr
    made = len(list(out.glob("*.docx")))
    assert 0 < made < 40
    assert not [p for p in out.iterdir() if p.name.startswith(".docgen")]
    subprocess.run(["mount", "-o", "remount,size=8m", str(small_disk)], check=True)
    done = finish(roster, out)
    assert done.returncode == 0, done.stderr
    assert f"Made {40 - made} agreements; {made} up to date" in done.stderr
    assert len(list(out.glob("*.docx"))) == 40
    assert not (out / "superseded").exists()


def test_an_agreement_open_in_word_is_listed_and_the_rest_are_made(
    tmp_path: Path, roster_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Word on Windows holds a document it has open so that it cannot be moved or replaced;
    here the operating system's refusal is played by a patched rename."""
    from click.testing import CliRunner

    from docgen.cli import main

    out = tmp_path / "out"
    first = [row(supervisee="Person A"), row(supervisee="Person B")]
    assert (
        CliRunner().invoke(main, ["generate", str(roster_path(first)), "--out", str(out)]).exit_code
        == 0
    )
    changed = roster_path([row(supervisee="Person A", Meeting_time="15:00"),
                           row(supervisee="Person B", Meeting_time="15:00")],
                          name="b.xlsx")  # fmt: skip
    real_rename = os.rename

    def rename(source: object, target: object) -> None:
        if "Person A" in str(source) and str(source).endswith(".docx"):
            raise PermissionError(13, "The process cannot access the file")
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", rename)
    result = CliRunner().invoke(main, ["generate", str(changed), "--out", str(out)])
    assert result.exit_code == 1
    assert "Person A - supervised by Joe Bloggs - sefton.docx was not made" in result.stderr
    assert "open in another program" in result.stderr
    assert len(list((out / "superseded").glob("Person B*.docx"))) == 1
    monkeypatch.setattr(os, "rename", real_rename)
    result = CliRunner().invoke(main, ["generate", str(changed), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "Made 1 agreement (1 replacing an older one); 1 up to date" in result.stderr


@pytest.fixture
def read_only_folder(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real read-only file system (root may write anywhere else, even to a 0555 folder)."""
    yield from mounted(tmp_path / "readonly", "size=1m,ro", "read-only folder")


@pytest.mark.parametrize("inside", [False, True])
def test_a_read_only_output_folder_is_a_sentence_before_anything_is_made(
    read_only_folder: Path, roster_path, inside: bool
) -> None:
    out = read_only_folder / "out" if inside else read_only_folder
    done = finish(roster_path([row()]), out)
    assert done.returncode == 1
    assert "cannot be written to (it is read-only, or you do not have permission)" in done.stderr
    assert "Traceback" not in done.stderr and "fault in docgen" not in done.stderr


def test_a_manifest_open_in_excel_stops_the_run_before_the_first_agreement(
    tmp_path: Path, roster_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel on Windows holds an open workbook against writing; a patched open plays it."""
    from docgen import generate
    from docgen.errors import FileInUse

    out = tmp_path / "out"
    generate(roster_path([row()]), out)
    real_open = Path.open

    def held_open(self: Path, mode: str = "r", *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "manifest.xlsx" and "+" in mode:
            raise PermissionError(13, "The process cannot access the file")
        return real_open(self, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", held_open)
    with pytest.raises(FileInUse, match="manifest.xlsx cannot be changed: it is open in another"):
        generate(roster_path([row(supervisee="Kwame Mensah")], name="b.xlsx"), out)
    assert not list(out.glob("Kwame*"))


def test_progress_shows_count_and_time_left_on_a_terminal_only(tmp_path: Path, roster_path) -> None:
    import pty

    roster = roster_path([row(supervisee=f"Person {n}") for n in range(30)])
    main_end, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "docgen", "generate", str(roster), "--out",
                                str(tmp_path / "a")], stdin=terminal, stdout=terminal,
                               stderr=terminal, close_fds=True)  # fmt: skip
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main_end, 4096)
        except OSError:  # the terminal closed: the run has ended
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=120)
    os.close(main_end)
    text = shown.decode(errors="replace")
    assert "Writing agreements" in text and "30/30" in text
    assert re.search(r"Made 30 agreements in .* in [\d.]+ s \(\d+ a second\)\.", text)
    piped = finish(roster, tmp_path / "b")
    assert "Writing agreements" not in piped.stderr
    assert re.search(r"Made 30 agreements in .* in [\d.]+ s \(\d+ a second\)\.", piped.stderr)


def test_a_full_temporary_folder_gets_a_sentence_not_a_traceback(small_disk: Path) -> None:
    """The manifest's rows wait in a temporary database, which spills to disk once it is
    large; a full disk there is said in words, naming what to do."""
    from datetime import date, datetime

    from docgen.errors import NoRoomForManifestRows
    from docgen.fingerprint import Stamp
    from docgen.manifest import Entries, Entry

    stored = Entries()
    # As a run of many thousands of rows would: spilling at once, onto the full disk.
    stored.db.execute(f"PRAGMA temp_store_directory = '{small_disk}'")
    stored.db.execute("PRAGMA cache_size = 1")
    try:
        with pytest.raises(NoRoomForManifestRows) as raised:
            for n in range(5_000):
                stamp = Stamp(content="c" * 64, input="i" * 90, pair=f"p{n}-s1", person=f"p{n}",
                              supervisee=f"Person {n}", supervisor="Joe Bloggs", staff_id="",
                              layout="sefton", start=date(2026, 3, 2), review=None,
                              meetings=12, made=datetime(2026, 3, 1, 9, 30))  # fmt: skip
                stored.set(Entry(f"Person {n} - supervised by Joe Bloggs.docx", stamp, "made"))
    finally:
        stored.close()
    message = str(raised.value)
    assert "full" in message and "Free some space" in message
    assert "agreements already made are kept" in message


def test_ctrl_c_held_for_one_step_is_handled_as_the_program_handles_it() -> None:
    """Where Ctrl+C is ignored it stays ignored; inside a step within a step it stops the
    run once the outer step is done."""
    from docgen.output import one_step

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with one_step():
            signal.raise_signal(signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    done = []
    with pytest.raises(KeyboardInterrupt):
        with one_step():
            with one_step():
                signal.raise_signal(signal.SIGINT)
                done.append("inner")
            done.append("outer")
    assert done == ["inner", "outer"]


def test_ctrl_c_held_for_one_step_goes_to_the_programs_own_handler() -> None:
    from docgen.output import one_step

    heard: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: heard.append(number))
    try:
        with one_step():
            signal.raise_signal(signal.SIGINT)
            assert heard == []  # held
        assert heard == [signal.SIGINT]  # then handled as the program handles it
    finally:
        signal.signal(signal.SIGINT, previous)
