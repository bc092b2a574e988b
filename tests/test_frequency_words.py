"""The frequency every layout prints describes this person's actual pattern, with its dates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from docgen import generate

from .conftest import document_text, row

LAYOUTS = ["sefton", "contract", "safeguarding", "stoke"]


def agreements(tmp_path: Path, roster_path, **changes: object) -> dict[str, str]:  # type: ignore[no-untyped-def]
    rows = [row(Layout=layout, Supervisee=f"Person {layout}", **changes) for layout in LAYOUTS]
    result = generate(roster_path(rows), tmp_path / "out")
    texts = {}
    for document in result.documents:
        layout = document.stem.rsplit(" - ", 1)[1]
        texts[layout] = "\n".join(document_text(document))
    return texts


@pytest.mark.parametrize(("changes", "words", "days"), [
    # The row: in post since 01/06/2026, the agreement from 03/08/2026 (past 6 weeks).
    # Fortnightly Tuesdays from 4 August 2026 reach 25 May 2027; the next step, 8 June 2027,
    # is monthly and the 2nd Tuesday of June, the place kept from then on.
    ({"Newly_qualified": "Yes", "Started_in_post": datetime(2026, 6, 1),
      "Start_date": datetime(2026, 8, 3)},
     "fortnightly until 1 June 2027 (12 months in post), then monthly",
     "alternate Tuesdays until 1 June 2027 (12 months in post), then the 2nd Tuesday of each "
     "month"),
    # Starting in post with the agreement on Monday 7 September 2026: weekly to 19 October;
    # 12 months in post is the review date, so monthly never starts within this agreement.
    ({"Newly_qualified": "Yes", "Started_in_post": None, "Start_date": datetime(2026, 9, 7)},
     "weekly until 19 October 2026 (6 weeks in post), then fortnightly until 7 September 2027 "
     "(12 months in post)",
     "Tuesdays until 19 October 2026 (6 weeks in post), then alternate Tuesdays until "
     "7 September 2027 (12 months in post)"),
    # In post since 2023 and flagged newly qualified: their real frequency. The agreement
    # starts on Monday 2 March 2026, so "Tuesday" is the 1st Tuesday of each month.
    ({"Newly_qualified": "Yes", "Started_in_post": datetime(2023, 9, 4)}, "monthly",
     "the 1st Tuesday of each month"),
    ({"Frequency": "fortnightly"}, "fortnightly", "alternate Tuesdays"),
])  # fmt: skip
def test_every_layout_prints_the_persons_own_frequency(
    tmp_path: Path, roster_path, changes: dict[str, object], words: str, days: str
) -> None:
    texts = agreements(tmp_path, roster_path, **changes)
    assert sorted(texts) == sorted(LAYOUTS)
    assert f"The frequency of supervision will be {words}." in texts["sefton"]
    assert f"Minimum frequency | {words}" in texts["stoke"]
    # The safeguarding agreement says how often in its days, once.
    assert f"Supervision will take place on {days} at 10:00 and will last" in texts["safeguarding"]
    assert f"Frequency of Supervision:\t{words}" in texts["contract"] or (
        f"Frequency of Supervision: {words}" in texts["contract"]
    )
    for text in texts.values():
        assert "for the first 6 weeks" not in text
