"""Write the first version of each shipped layout into templates_docx/.

The committed .docx files are the source of truth (councils edit them in Word); this script
only authored them from the seeds' wording. Re-run it only to start a layout afresh:

    python scripts/author_templates.py [LAYOUT ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from wordbase import Writer

OUT = Path(__file__).resolve().parent.parent / "templates_docx"
DOTS = "…………………………………"

# docxtpl's tags for a table row or paragraph that repeats or is conditional.
MEETING_ROWS_START = "{%tr for m in meetings %}"
MEETING_ROWS_END = "{%tr endfor %}"


def schedule_notes(w: Writer) -> None:
    """Sentences on meetings that could not keep to the rules; nothing when there are none."""
    w.p("{%p for note in schedule_notes %}")
    w.p("{{ note }}", italic=True)
    w.p("{%p endfor %}")


def sefton() -> Writer:
    w = Writer()
    # The seed's "Appendix 1 –" prefix came from the policy it was cut out of: dropped.
    w.title("SEFTON COUNCIL CHILDREN’S SERVICES SUPERVISION AGREEMENT")
    w.label("Name Supervisee:", "{{ supervisee }}")
    w.label("Name Supervisor/Manager:", "{{ supervisor }}")

    w.h1("KEY TASKS OF SUPERVISEE:")
    w.p("This may include individual cases, administrative or practical duties, depending on "
        "the nature of the service. It should also include any additional responsibilities "
        "undertaken e.g., auditing of practice, mentoring, multi- agency practice, additional "
        "support in respect of inexperience or capability.", italic=True)  # fmt: skip
    w.p("{{ key_tasks }}")

    w.h1("MANDATE FOR SUPERVISION:")
    w.p("Sefton Council expects all employees to be supervised. for certain staff, such as "
        "those in their probationary period; Newly Qualified Social Workers in their Assessed "
        "& Supported Year of Employment or in situations where there is less responsibility "
        "assigned to the post this will be more or less frequent. Monthly supervision is "
        "required for Social Workers. The principal functions of the supervisory process are:")
    for item in (
        "a) To ensure that the supervisee carries out their job responsibilities to standards "
        "set out in professional code of conduct and policies.",
        "b) To ensure that the supervisee understands their roles and responsibilities "
        "(supervisee job description should be available as a basis of discussions).",
        "c) To assist with the professional development of the supervisee.",
        "d) To be a primary source of support for the supervisee recognising the considerable "
        "demands of the role.",
        "e) Provide both regular constructive feedback to the supervisee, and to link with the "
        "individuals Performance Development Plan and Review process.",
    ):
        w.p(item)

    w.h1("FORMAT OF SUPERVISION:")
    w.bullets([
        "The supervision meeting will take place in privacy and there will only be "
        "interruptions if {{ interruptions_only_if }}",
        "The frequency of supervision will be {{ frequency }}.",
        "The supervision meeting will last for a minimum of: {{ duration }}",
        "Method of recording the session will be by {{ recording_method }} and the person "
        "responsible for recording the session will be the supervisor. The record will be "
        "shared within 5 working days and will be signed by both parties once agreed as an "
        "accurate record.",
        "Welfare supervision records will be held and stored safely on Sharepoint.",
        "Any particular focus for the next session will be noted",
        "Others who may see the record: {{ others_who_may_see_the_record }}",
    ])  # fmt: skip
    w.p("The supervision meeting will consist of the following:")
    parts = w.new_list()
    w.number(parts, "Performance Management discussions to include:", bold=True)
    w.bullets([
        "Activities undertaken",
        "Case Consultation and discussion (where applicable)",
        "Case file audit discussion (where applicable)",
    ])  # fmt: skip
    w.number(parts, "Professional Development discussions of your skills, knowledge base and "
             "value base to include:", bold=True)
    w.bullets([
        "Induction requirements (as appropriate)",
        "Training requirements (and formal completion of Performance Development Plans and "
        "Reviews)",
        "Longer term development plans and setting of professional goals.",
        "For Registered Social Workers: Review of training progress against the College of "
        "Social Work’s Professional Capabilities Framework (PCF).",
        "For NQSW’s in the Assessed and Supported Year of Employment, on-going assessment and "
        "appraisal using the ASYE level of the Professional Capabilities Framework.",
    ])  # fmt: skip
    w.number(parts, "Welfare/Support Issues", bold=True)
    w.bullets([
        "Factors affecting performance",
        "Personal issues (as appropriate)",
        "Stress-related issues",
        "Absence(s) from work",
        "Health and Safety",
        "Opportunity for you to give feedback on your experience of and expectation of "
        "supervision",
        "Annual Leave",
        "Flexi/Time of in Lieu/agile working",
        "Equal Opportunities – to discuss any issues of oppression that the supervisee wishes "
        "to raise, from personal experience to institutional and structural matter",
    ])  # fmt: skip

    w.h1("Auditing of Practice (if applicable):")
    w.p("Cases which the employee is currently or has previously been involved with may be "
        "selected for audit via Children Services Quality Assurance and Impact Framework, or "
        "multi-agency file audit process.  They may also have been involved in cases subject "
        "of Child Safeguarding Practice Reviews (formerly Serious Case Reviews) or other "
        "learning and improvement processes.")
    w.p("The supervisor and supervisee will be alerted of planned audit activity in advance. "
        "Following audit, the supervisor and supervisee should consider the actions and "
        "outcomes to identify any learning; also, the impact upon the worker.")

    w.h1("Expectations of Supervision:")
    w.p("Good quality reflective supervision requires preparation by both the supervisor and "
        "the supervisee.")
    w.p("Following discussion, these are the ways we have agreed to work together to get the "
        "most out of supervision:")
    for item in (
        "a) What I want from you as my supervisor",
        "b) What I will contribute as a supervisee",
        "c) What I want from you as the supervisee",
        "d) What I will contribute as the supervisor",
        "e) As the supervisor I am responsible for",
        "f) As the supervisee I am responsible for",
    ):
        w.p(f"{item} {DOTS}")
        w.room(1)

    w.h1("ANY OTHER ISSUES")
    w.h2("Disagreements")
    w.bullets([
        "If the Manager and supervisee cannot agree on any aspect of work performance or "
        "service delivery, either party may refer the issue to the relevant Senior Manager for "
        "resolution. The disagreement and its resolution will be recorded on the welfare "
        "supervision record; not on the LCS file. There is a separate process in place to deal "
        "with escalation related to any practice concerns.",
        "In the case of Managers, the resolution process will be as follows: the Assistant "
        "Director in the case of dispute between a Service Manager and Team Manager and the "
        "Director in the case of dispute between the Assistant Director and a Service Manager. "
        "The disagreement and its resolution will be recorded on the welfare supervision "
        "record.",
        "If a supervisee is concerned about any aspect of the manager’s supervision practice "
        "and they are not able to resolve the issue in discussion with the manager, they may "
        "speak with the relevant Senior Manager who will address the issue raised.",
    ])  # fmt: skip

    w.h1("Dates of Supervision Meetings (next 12 months):")
    w.table([["Month", "Date"], [MEETING_ROWS_START, ""], ["{{ m.month }}", "{{ m.when }}"],
             [MEETING_ROWS_END, ""]], widths=(5.0, 11.0))  # fmt: skip
    schedule_notes(w)

    w.h1("Parties to the Contract:")
    w.table([
        ["", "Name", "Signature", "Date"],
        ["Supervisee", "{{ supervisee }}", "", ""],
        ["Supervisor", "{{ supervisor }}", "", ""],
    ], widths=(3.2, 5.0, 5.0, 3.0), bold_first_column=True, row_height=1.4)  # fmt: skip
    w.label("Date of Review:", "{{ review_date }}")
    w.p("Note: The agreement must be reviewed on an annual basis. It must also be reviewed "
        "when there is a change of supervisor.", italic=True)
    return w


LAYOUTS = {"sefton": sefton}


def main(names: list[str]) -> None:
    for name in names or list(LAYOUTS):
        path = OUT / f"{name}.docx"
        LAYOUTS[name]().save(str(path))
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
