"""The catalogue of council layouts: each a Word template with a small metadata file beside it.

``templates_docx/sefton.docx`` is the layout ``sefton``; ``templates_docx/sefton.toml`` says
what it is called, whose it is, which roster columns it needs, its defaults and its policy.
A council adds a layout by dropping such a pair into a folder and passing ``--templates DIR``.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

from .columns import BY_KEY, column_for_header
from .errors import LayoutNotFound, TemplateError
from .fields import is_field_tag
from .files import SMALL_FILE_LIMIT, file_problem, read_toml
from .policy import DEFAULT_POLICY, POLICY_DIR

# Defaults a layout may set; every one is also a template variable.
DEFAULT_KEYS = (
    "duration",
    "location",
    "format_of_supervision",
    "recording_method",
    "record_written_by",
    "record_shared_within",
    "interruptions_only_if",
    "others_who_may_see_the_record",
)


def shipped_templates_dir() -> Path:
    """Where the layouts that come with docgen are.

    Inside the installed package, or (in a source checkout) the repository's
    ``templates_docx/``.
    """
    packaged = Path(__file__).parent / "templates_docx"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates_docx"


@dataclass(frozen=True)
class Layout:
    """An installed layout: its Word template, its metadata and what its rows need."""

    key: str
    name: str
    organisation: str
    docx: Path
    metadata: Path
    needs: tuple[str, ...]  # column keys this layout's rows must fill
    defaults: Mapping[str, str] = field(default_factory=dict)
    policy: Path = DEFAULT_POLICY
    description: str = ""
    fields: tuple[str, ...] = ()  # the tags of the content controls people complete

    def needed_columns(self) -> list[str]:
        """The roster columns this layout's rows must fill, as the roster's headers name them."""
        return ["Supervisee", "Supervisor", "Start date", *(BY_KEY[k].header for k in self.needs)]


@dataclass(frozen=True)
class Catalogue:
    """The installed layouts, by key."""

    layouts: Mapping[str, Layout]
    own_folder: Path | None = None  # the folder of the council's own layouts, if given

    def get(self, key: str) -> Layout:
        """The layout `key`, or `LayoutNotFound` suggesting the closest name."""
        try:
            return self.layouts[key.casefold()]
        except KeyError:
            known = sorted(self.layouts)
            close = difflib.get_close_matches(key.casefold(), known, n=1, cutoff=0.6)
            raise LayoutNotFound(key, known, close[0] if close else None,
                                 self.own_folder) from None  # fmt: skip

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.layouts.values())


def load_catalogue(extra_dir: Path | None = None) -> Catalogue:
    """The shipped layouts, plus (overriding any of the same name) those in `extra_dir`."""
    layouts: dict[str, Layout] = {}
    folders = [shipped_templates_dir()]
    if extra_dir is not None:
        extra_dir = Path(extra_dir)
        if not extra_dir.is_dir():
            raise TemplateError(f"the templates folder {extra_dir} does not exist")
        folders.append(extra_dir)
    for folder in folders:
        found = sorted(folder.glob("*.docx"))
        if folder == extra_dir and not found:
            raise TemplateError(f"the templates folder {extra_dir} has no .docx layouts in it")
        for docx in found:
            if docx.name.startswith("~$"):  # Word's lock file while the template is open
                continue
            layout = load_layout(docx)
            layouts[layout.key] = layout
    return Catalogue(layouts, extra_dir)


def load_layout(docx: Path) -> Layout:
    """Read the metadata beside `docx`; a mistake in it is a `TemplateError` naming the file."""
    metadata = _metadata_file(docx)
    data = read_toml(metadata, "layout metadata file", TemplateError, frozenset({"policy"}))
    problems = [f'it has no {required} = "..." line' for required in ("name", "organisation")
                if not str(data.get(required, "")).strip()]  # fmt: skip
    needs: list[str] = []
    listed = data.get("needs", [])
    if not isinstance(listed, list):
        problems.append('needs must be a list of roster columns, such as needs = ["Key tasks"]')
        listed = []
    for header in listed:
        column = column_for_header(str(header))
        if column is None:
            problems.append(f'"{header}" in needs is not a roster column')
        else:
            needs.append(column.key)
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        problems.append("[defaults] must be a table of names and values")
        defaults = {}
    problems.extend(f'"{key}" in [defaults] is not one of: {", ".join(DEFAULT_KEYS)}'
                    for key in defaults if key not in DEFAULT_KEYS)  # fmt: skip
    fields = data.get("fields", [])
    if not isinstance(fields, list):
        problems.append(
            'fields must be a list of field tags, such as fields = ["signed_supervisee"]'
        )
        fields = []
    problems.extend(f'"{tag}" in fields is not a field tag (lower-case letters, digits and '
                    "_, starting with a letter)"
                    for tag in fields if not is_field_tag(tag))  # fmt: skip
    policy_name = str(data.get("policy", "default"))
    policy = _policy_path(policy_name, metadata.parent)
    problems += _policy_problems(policy_name, policy, metadata.parent)
    if problems:
        raise TemplateError(f"{metadata}: " + "; ".join(problems))
    return Layout(
        key=docx.stem.casefold(),
        name=str(data["name"]),
        organisation=str(data["organisation"]),
        docx=docx,
        metadata=metadata,
        needs=tuple(needs),
        defaults={key: str(value) for key, value in defaults.items()},
        policy=policy or DEFAULT_POLICY,
        description=str(data.get("description", "")),
        fields=tuple(str(tag) for tag in fields),
    )


def _metadata_file(docx: Path) -> Path:
    metadata = docx.with_suffix(".toml")
    if metadata.exists():
        return metadata
    saved_as = docx.with_name(metadata.name + ".txt")
    if saved_as.exists():  # Notepad adds .txt unless "All files" is chosen
        raise TemplateError(
            f"the layout {docx.name} has its metadata saved as {saved_as.name}: rename it "
            f"{metadata.name} (in Notepad's Save As, choose All files as the type and type "
            "the name in full)"
        )
    raise TemplateError(
        f"the layout {docx.name} has no metadata file: write {metadata.name} beside it "
        "(copy one of docgen's, see the README)"
    )


def _policy_problems(name: str, policy: Path | None, folder: Path) -> list[str]:
    file_name = PureWindowsPath(name).name
    if policy is None:
        return [
            f'its policy "{name}" is a Windows path, which this computer cannot follow; '
            f'copy the policy file beside the layout and write policy = "{file_name}"'
        ]
    if not _inside(policy, folder) and not _inside(policy, POLICY_DIR):
        return [
            f'its policy "{name}" is outside the layout\'s folder; copy the policy file '
            f'beside the layout and write policy = "{file_name}"'
        ]
    if (problem := file_problem(policy, SMALL_FILE_LIMIT)) is not None:
        return [f"its policy file {policy} {problem}"]
    return []


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with links and `..` followed, is in `folder` (or below it)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return False


def _policy_path(name: str, folder: Path, windows: bool = os.name == "nt") -> Path | None:
    r"""The policy file that a layout's metadata names.

    "default" or another of docgen's, else a path from `folder` (written with / or, as
    Windows users do, \); None for a Windows path such as ``C:\docgen-layouts\ours.toml`` on
    a computer that is not Windows.
    """
    shipped = POLICY_DIR / (name if name.endswith(".toml") else f"{name}.toml")
    if shipped.exists() and "/" not in name and "\\" not in name:
        local = folder / name
        return local if local.exists() and local.suffix == ".toml" else shipped
    if windows or "\\" not in name:
        return folder / name
    written = PureWindowsPath(name)
    if written.drive or written.root:
        return None
    return folder.joinpath(*written.parts)
