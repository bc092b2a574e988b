"""The template check's look at a layout's fields: the content controls people complete.

Each field needs a tag docgen can read back (`docgen collect`) and carry forward (`docgen
refresh`), once per layout, showing placeholder text rather than text of its own, and
listed in the layout's metadata so `docgen templates` shows it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .field_marks import MARK
from .fields import Control, is_field_tag
from .layout_tags import shorten

_HOW_TO_TAG = (
    "in Word, click the control, choose Developer > Properties and type a Tag such as "
    "expectations_supervisee_wants (lower-case letters, digits and _)"
)


def field_warnings(
    controls: Sequence[Control], listed: Sequence[str] | None, metadata_name: str
) -> list[str]:
    """What is wrong with a layout's `controls`, as sentences that follow the layout's name.

    `listed` is the ``fields`` of its metadata (None when the metadata could not be read).
    """
    warnings: list[str] = []
    seen: set[str] = set()
    for control in controls:
        if not control.name:
            warnings.append(_untagged(control))
            continue
        if control.name in seen:
            warnings.append(
                f"marks the field {control.name} twice; docgen reads only the first one "
                "people complete: give each content control a tag of its own"
            )
            continue
        seen.add(control.name)
        if not control.showing_placeholder and control.raw_text:
            warnings.append(
                f'has the field {control.name} holding "{shorten(control.raw_text, 40)}" as '
                "text, not as placeholder text, so people must delete it before typing (and "
                "text other than a dotted line counts as completed): in Word, choose "
                "Developer > Design Mode and type the dotted line as the control's placeholder"
            )
    if listed is not None:
        unlisted = [name for name in dict.fromkeys(c.name for c in controls if c.name)
                    if name not in listed]  # fmt: skip
        if unlisted:
            warnings.append(
                f"has fields that {metadata_name} does not list: {', '.join(unlisted)}; add "
                f"them to its fields = [...] line so `docgen templates` shows them"
            )
        missing = [name for name in listed if name not in seen]
        if missing:
            warnings.append(
                f"has no content control for {', '.join(missing)}, which {metadata_name} "
                "lists as fields; tag a content control with each name, or remove it from the "
                "list"
            )
    return warnings


def mark_warnings(text: str) -> list[str]:
    """What is wrong with the ``[[ ... ]]`` field marks left in a paragraph's `text`.

    Marks naming a field were made into fields when the layout was read; any left did not.
    """
    return [
        f"has {mark.group(0)}, which is not a field: it would be printed as typed in every "
        "agreement. A field's name is lower-case letters, digits and _, starting with a "
        f"letter, such as [[ {_suggested(mark.group(1))} ]]"
        for mark in MARK.finditer(text)
    ]


def _suggested(name: str) -> str:
    words = "_".join(re.findall(r"[a-z0-9]+", name.casefold()))
    return words if is_field_tag(words) else "review_notes"


def _untagged(control: Control) -> str:
    if control.tag and not is_field_tag(control.tag):
        return (f'has a content control tagged "{shorten(control.tag, 40)}", which is not a '
                f"field name docgen can use: {_HOW_TO_TAG}")  # fmt: skip
    what = f' titled "{shorten(control.title, 40)}"' if control.title else ""
    return (f"has a content control{what} with no tag, so docgen cannot read what people "
            f"type in it: {_HOW_TO_TAG}")  # fmt: skip
