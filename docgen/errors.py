"""Every error a user can cause, and the exit code the command line gives for it.

One base class, `DocgenError`; the CLI turns any of them into an ``Error: ...`` line on
stderr and the class's `exit_code`. Anything else that escapes is a bug in docgen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Exit codes are documented in the README; keep them stable.
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2  # click's own code for a wrong option or argument
EXIT_ROSTER_PROBLEMS = 3
EXIT_TEMPLATE_PROBLEMS = 4
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a roster, pinned to the cell it came from.

    `cell` is a spreadsheet reference such as ``Roster!E7`` (or ``Roster!7`` for a whole
    row, or empty for the file as a whole). `fix` tells a person what to do about it.
    """

    file: str
    cell: str
    column: str
    value: str
    message: str
    fix: str = ""
    row: int = 0
    severity: str = "error"  # "error" stops generation; "warning" is reported and carried on

    def __str__(self) -> str:
        where = f"{self.file} {self.cell}".strip()
        column = f" ({self.column})" if self.column else ""
        value = f' "{self.value}"' if self.value else ""
        fix = f"; {self.fix}" if self.fix else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{where}{column}:{value} {self.message}{fix}"


class DocgenError(Exception):
    """Base of every error caused by the user's files or options."""

    exit_code = EXIT_ERROR


class RosterFileError(DocgenError):
    """The roster file cannot be read at all (missing, not a spreadsheet, locked...)."""

    def __init__(self, path: str, reason: str, fix: str = "") -> None:
        self.path = path
        message = f"{path}: {reason}"
        if fix:
            message += f". {fix}"
        super().__init__(message)


class RosterProblems(DocgenError):
    """The roster was read, but some rows or cells are wrong. Carries every problem found."""

    exit_code = EXIT_ROSTER_PROBLEMS

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        noun = "problem" if len(errors) == 1 else "problems"
        super().__init__(f"the roster has {len(errors)} {noun}; nothing was written")


class TemplateError(DocgenError):
    """A layout (Word template or its metadata) is broken or asks for something unknown."""

    exit_code = EXIT_TEMPLATE_PROBLEMS


class UnknownLayout(TemplateError):
    """No layout has the name asked for; the message lists those installed."""

    def __init__(self, layout: str, known: Sequence[str]) -> None:
        super().__init__(
            f'there is no layout called "{layout}"; the layouts installed are: ' + ", ".join(known)
        )


class PolicyError(DocgenError):
    """A supervision policy file is missing or wrong."""


class OutputError(DocgenError):
    """A document or the manifest could not be written."""


class FileInUse(OutputError):
    """A file docgen must write or move is open in another program (Word, Excel)."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(
            f"{path} cannot be changed: it is open in another program (Word or Excel?), or "
            "it is read-only. Close it, then run again"
        )


class NoRoomForManifestRows(OutputError):
    """The temporary file holding the manifest's rows during a run could not be written."""

    def __init__(self, reason: object) -> None:
        super().__init__(
            f"docgen could not keep the manifest's rows in a temporary file ({reason}): the "
            "disk holding the computer's temporary folder may be full. Free some space on it, "
            "then run again: the agreements already made are kept and are not made again"
        )


class FolderBusy(OutputError):
    """Another docgen run is writing into the same output folder."""

    def __init__(self, folder: object, holder: object = None) -> None:
        who = ""
        if holder is not None:
            pid, started, host = (getattr(holder, n) for n in ("pid", "started", "host"))
            who = f" (process {pid} on {host}, started {started})"
        super().__init__(
            f"another docgen run is writing into {folder}{who}. Wait for it to finish, "
            "or choose another output folder"
        )


class OutputInsideLayouts(OutputError):
    """The output folder is inside a layouts folder, where agreements would be read as layouts."""

    def __init__(self, folder: object, layouts: object) -> None:
        super().__init__(
            f"the output folder {folder} is inside the layouts folder {layouts}; agreements "
            "written there would be read as layouts. Choose an output folder outside it"
        )


class LayoutNotFound(UnknownLayout):
    """No layout has the name asked for.

    Says which one was probably meant, and that a council's own layouts are only found when
    docgen is given their folder.
    """

    def __init__(
        self, layout: str, known: Sequence[str], close: str | None, own_folder: object = None
    ) -> None:
        self.layout = layout
        self.own_folder = own_folder
        meant = f': did you mean "{close}"? The' if close else "; the"
        if own_folder is None:
            own = ("If it is one of your council's own layouts, give docgen the folder your "
                   "layouts are in")  # fmt: skip
        else:
            own = (f"Your own layouts are the .docx files in {own_folder}, each named as its "
                   "file is, without .docx")  # fmt: skip
        TemplateError.__init__(
            self, f'there is no layout called "{layout}"{meant} layouts docgen has are: '
            f"{', '.join(known)}. {own}"
        )  # fmt: skip
