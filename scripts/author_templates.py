"""Write the first version of each shipped layout into templates_docx/.

The committed .docx files are the source of truth (councils edit them in Word); this script
authored them from the seeds' wording, and the shipped ones are still exactly what it writes
(their Word XML, checked when they change). Re-run it to start a layout afresh, or to carry
a change made here into the shipped files:

    python scripts/author_templates.py [LAYOUT ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.table import Table
from wordbase import Writer, add_cell_field

OUT = Path(__file__).resolve().parent.parent / "templates_docx"
DOTS = "…………………………………"

# docxtpl's tags for a table row or paragraph that repeats or is conditional.
MEETING_ROWS_START = "{%tr for m in meetings %}"
MEETING_ROWS_END = "{%tr endfor %}"

# On every page: whose agreement it is, and "Page X of Y" (see Writer.footer).
FOOTER = "{{ layout_name }} – {{ supervisee }}"


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
    w.lead("This may include individual cases, administrative or practical duties, depending "
           "on the nature of the service. It should also include any additional "
           "responsibilities undertaken e.g., auditing of practice, mentoring, multi- agency "
           "practice, additional support in respect of inexperience or capability.",
           italic=True)  # fmt: skip
    w.p("{{ key_tasks }}")

    w.h1("MANDATE FOR SUPERVISION:")
    w.lead(
        "Sefton Council expects all employees to be supervised. for certain staff, such as "
        "those in their probationary period; Newly Qualified Social Workers in their "
        "Assessed & Supported Year of Employment or in situations where there is less "
        "responsibility assigned to the post this will be more or less frequent. Monthly "
        "supervision is required for Social Workers. The principal functions of the "
        "supervisory process are:"
    )
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
        # Not in the seed: where they meet, from the roster's Location (issue 10).
        "The supervision meeting will be held at: {{ location }}",
        "Method of recording the session will be by {{ recording_method }} and the person "
        "responsible for recording the session will be the supervisor. The record will be "
        "shared within 5 working days and will be signed by both parties once agreed as an "
        "accurate record.",
        "Welfare supervision records will be held and stored safely on Sharepoint.",
        "Any particular focus for the next session will be noted",
        "Others who may see the record: {{ others_who_may_see_the_record }}",
    ])  # fmt: skip
    w.lead("The supervision meeting will consist of the following:")
    parts = w.new_list()
    w.number(parts, "Performance Management discussions to include:", bold=True)
    w.bullets([
        "Activities undertaken",
        "Case Consultation and discussion (where applicable)",
        "Case file audit discussion (where applicable)",
    ], level=2)  # fmt: skip
    w.number(
        parts,
        "Professional Development discussions of your skills, knowledge base and "
        "value base to include:",
        bold=True,
    )
    w.bullets([
        "Induction requirements (as appropriate)",
        "Training requirements (and formal completion of Performance Development Plans and "
        "Reviews)",
        "Longer term development plans and setting of professional goals.",
        "For Registered Social Workers: Review of training progress against the College of "
        "Social Work’s Professional Capabilities Framework (PCF).",
        "For NQSW’s in the Assessed and Supported Year of Employment, on-going assessment and "
        "appraisal using the ASYE level of the Professional Capabilities Framework.",
    ], level=2)  # fmt: skip
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
    ], level=2)  # fmt: skip

    w.h1("Auditing of Practice (if applicable):")
    w.p(
        "Cases which the employee is currently or has previously been involved with may be "
        "selected for audit via Children Services Quality Assurance and Impact Framework, or "
        "multi-agency file audit process.  They may also have been involved in cases subject "
        "of Child Safeguarding Practice Reviews (formerly Serious Case Reviews) or other "
        "learning and improvement processes."
    )
    w.p(
        "The supervisor and supervisee will be alerted of planned audit activity in advance. "
        "Following audit, the supervisor and supervisee should consider the actions and "
        "outcomes to identify any learning; also, the impact upon the worker."
    )

    w.h1("Expectations of Supervision:")
    w.p(
        "Good quality reflective supervision requires preparation by both the supervisor and "
        "the supervisee."
    )
    w.lead(
        "Following discussion, these are the ways we have agreed to work together to get "
        "the most out of supervision:"
    )
    for item, tag in (
        ("a) What I want from you as my supervisor", "expectations_supervisee_wants"),
        ("b) What I will contribute as a supervisee", "expectations_supervisee_contributes"),
        ("c) What I want from you as the supervisee", "expectations_supervisor_wants"),
        ("d) What I will contribute as the supervisor", "expectations_supervisor_contributes"),
        ("e) As the supervisor I am responsible for", "expectations_supervisor_responsible_for"),
        ("f) As the supervisee I am responsible for", "expectations_supervisee_responsible_for"),
    ):
        w.prompt(item, tag, dots=DOTS)

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
    parties = w.table([
        ["", "Name", "Signature", "Date"],
        ["Supervisee", "{{ supervisee }}", "", ""],
        ["Supervisor", "{{ supervisor }}", "", ""],
    ], widths=(3.2, 5.0, 5.0, 3.0), bold_first_column=True, row_height=1.4,
       keep_together=True)  # fmt: skip
    signatures(parties, {1: "supervisee", 2: "supervisor"}, signature=2, date=3)
    w.label("Date of Review:", "{{ review_date }}")
    w.p(
        "Note: The agreement must be reviewed on an annual basis. It must also be reviewed "
        "when there is a change of supervisor.",
        italic=True,
    )
    w.footer(FOOTER)
    return w


# A dotted line as long as fits each width of column (an ellipsis is about half a centimetre).
DOTS_FOR_CM = {3.0: 5, 4.2: 8, 5.0: 10, 11.0: 20}


def signatures(table: Table, rows: dict[int, str], *, signature: int, date: int | None = None,
               ) -> None:  # fmt: skip
    """Fields for each party's signature (and date) in a signatures table; `rows` names the
    party of each row, `signature` and `date` are columns."""
    widths = [round(column.width.cm, 1) for column in table.columns]
    for row, party in rows.items():
        add_cell_field(table.cell(row, signature), f"signed_{party}",
                       DOTS_FOR_CM[widths[signature]])  # fmt: skip
        if date is not None:
            add_cell_field(table.cell(row, date), f"signed_{party}_date", DOTS_FOR_CM[widths[date]])


def meeting_table(w: Writer, title: str = "") -> None:
    """The 12-month schedule, for layouts whose seed has no dates table of its own: under
    `title`, or (with no title) under a lead-in line already written."""
    if title:
        w.h1(title)
        # The frequency, place and length are stated where the council's text asks for them.
        w.lead("The dates below follow the {{ policy_name }}.")
    w.table([["No.", "Date and time", "Notes"], [MEETING_ROWS_START, "", ""],
             ["{{ m.number }}", "{{ m.when }}", "{{ m.note }}"], [MEETING_ROWS_END, "", ""]],
            widths=(1.3, 7.2, 7.5))  # fmt: skip
    schedule_notes(w)


def contract() -> Writer:
    w = Writer()
    w.title("Supervision Contract")
    w.label("Name of Supervisee:", "{{ supervisee }}")
    w.label("Name of Supervisor/Manager:", "{{ supervisor }}")
    w.label("Key Tasks of Supervisee:", "")
    w.p("{{ key_tasks }}")
    w.label("Format of Supervision:", "{{ format_of_supervision }}")
    w.label("Frequency of Supervision:", "{{ frequency }}")
    w.p("The supervision meeting will take place in privacy and should be uninterrupted.")
    w.lead("The supervision meeting will consist of the following:")
    parts = w.new_list()
    w.number(parts, "Workload Management discussions to include:", bold=True)
    w.bullets([
        "Actions taken and planned by both supervisor and supervisee",
        "Case consultation and discussion (where applicable)",
        "Case file audit discussion (where applicable)",
        "Workload weighting (where applicable)",
        "Performance management",
        "Use of the integrated children’s system",
        "Mediation functions",
    ], level=2)  # fmt: skip
    w.number(parts, "Professional Development discussion", bold=True)
    w.bullets([
        "Training requirements with reference to Personal Development Plans",
        "Induction or NQSW requirements (as appropriate)",
        "Longer term development plans",
        "(For registered Social Workers) Review of training progress against the "
        "post-registration requirements set out by the General Social Care Council (GSCC)",
    ], level=2)  # fmt: skip
    w.number(parts, "Staff Health, Emotional or Support Issues", bold=True)
    w.bullets([
        "Factors affecting performance",
        "Personal Issues (as appropriate)",
        "Stress-related issues",
        "Absence(s) from work",
        "Health and Safety",
        "Any issues relating to the supervisory relationship requiring discussion",
        "Equal opportunities – to discuss any issues of oppression that the supervisee wishes "
        "to raise, from personal experience to institutional and structural matters",
    ], level=2)  # fmt: skip
    w.number(parts, "Other issues – for example:", bold=True)
    w.bullets(["Leave arrangements (including time off in lieu/flexi-time)"], level=2)

    w.h1("Recording Supervision")
    w.p(
        "The supervision meeting will be recorded by the supervisor and the record signed and "
        "dated.  Both the supervisee and the manager will keep the record.  Both the supervisee "
        "and supervisor will ensure that case consultation, decisions, agreed actions are "
        "recorded on the child/young person’s case file."
    )

    w.h1("5. Confidentiality")
    for text in (
        "Although private, supervision is a management process. Issues raised within "
        "supervision may need to be shared with other managers and staff when they concern "
        "adult or child protection and risk management, poor performance, sickness absence, "
        "discipline, bullying, harassment or discrimination, staff safety or policy development",
        "Other issues may be shared with the agreement of both the supervisor and supervisee. "
        "Supervisor and supervisee should be aware of their responsibilities in relation to the "
        "protection and use of client information. If there is any uncertainty about what "
        "should/should not be shared the supervisor’s line manager should be consulted for "
        "advice.",
        "Supervision records will be stored securely. Unjustifiable breach of confidentiality "
        "may result in disciplinary action.",
        "Line managers have the right to audit and inspect supervision records to ensure that "
        "they are taking place in line with the policy requirements.",
        "When the supervisor changes, the records will be transferred to the new supervisor. If "
        "the supervisee leaves the directorate, all supervision records, including supervisee’s "
        "copies, should be sent to the HR section as they remain the property of the "
        "Directorate.",
        "Where a ‘need to know’ situation is established, an Inspector or Complaints "
        "Investigating Officer may need to have access to supervision records if necessary for "
        "a statutory function like investigation or inspection.",
    ):
        w.p(text)

    w.h1("6. Frequency of supervision")
    # The seed's line here is an instruction to the author; it is answered with the policy's
    # frequency, stated once, and the year's dates.
    w.lead(
        "Supervision will take place {{ frequency }}, as specified in the {{ policy_name }}. "
        "Meetings will be held at {{ location }} and last {{ duration }}. The meetings for "
        "the next 12 months are:"
    )
    meeting_table(w)

    w.h1("7. Supervisor’s Responsibilities")
    w.bullets([
        "To familiarise themselves with the policy and undertake supervision training as "
        "appropriate.",
        "To make supervision a priority, in an appropriate place, avoiding interruptions.  If "
        "supervision has to be cancelled for any reason it will be rearranged to the earliest "
        "possible date.",
        "To ensure that requested actions are completed to the standard and timescale "
        "requested.",
        "To ensure the supervisee understands their role and responsibilities and will inform "
        "or signpost the supervisee to all relevant council and directorate policies, "
        "procedures and practice.",
        "To ensure appropriate induction, training and development is planned supported and "
        "monitored according to the needs of the supervisee.",
        "To assess performance against quality assurance standards and give constructive "
        "feedback.",
        "To address poor performance issues with the supervisee and implement capability "
        "procedures if necessary.",
        "To use performance management data to benchmark individual performance against team, "
        "directorate and national standards.",
        "To be open and honest at all times and to accept constructive criticism positively.",
        "To inform the supervisee if any aspect of the supervision meeting is to be shared with "
        "other parties.",
        "To demonstrate anti-oppressive practice within their supervisory role.",
        "To monitor absence from work and explore issues that may contribute to improved "
        "performance.",
        "To support the supervisee with difficult or stressful work situations as appropriate, "
        "for example:",
    ])  # fmt: skip
    w.bullets([
        "Arranging a co-worker where appropriate",
        "Attending interviews/meetings/conferences/court with the social worker where "
        "appropriate.",
        "Debriefing when required",
        "Arranging mentoring or training",
    ], level=2)  # fmt: skip
    w.bullets([
        "To respond appropriately to personal problems that are affecting the supervisee’s "
        "wellbeing and work performance.",
        "To respond appropriately to any equal opportunities issues for the supervisee.",
        "To adhere to the requirements of legislation, guidance and local policies, including "
        "Health & Safety, when undertaking supervision.",
    ])  # fmt: skip

    w.h1("8. Supervisee’s Responsibilities:")
    w.bullets([
        "To make supervision a priority and prepare appropriately for it",
        "To ensure that requested actions are completed to the standard and timescale "
        "requested.",
        "To demonstrate professionalism by showing commitment to the development of knowledge "
        "and expertise.",
        "To use performance management data positively to monitor their own performance "
        "against Directorate and national standards.",
        "To inform the supervisor of any issues arising within their team/area and seek "
        "guidance where necessary.",
        "To accept constructive criticism positively and take the necessary action to improve "
        "performance.",
        "To give the supervisor constructive feedback on their supervisory role.",
        "To raise any issues around equality of opportunity experienced or observed.",
    ])  # fmt: skip

    w.h1("9. Any other issues")
    w.h2("Disagreements")
    w.p(
        "If the supervisor and supervisee cannot agree on any aspect of work performance or "
        "service delivery for which a decision must be made, either party may refer the issue "
        "for resolution to the appropriate Service Manager. In the case of dispute between a "
        "Service Manager and a Team Manager the disagreement and its resolution will be "
        "recorded on the Record of Supervision."
    )
    w.p(
        "If the supervisee is concerned about any aspect of the supervisor’s supervision "
        "practice and they are not able to resolve the issue in discussion with the supervisor, "
        "they may speak with the supervisor’s line manager who will address the issue raised."
    )

    w.h1("Parties to the Contract")
    # 3.2 cm: "Supervisee" in bold fits on one line (at 2.8 cm it broke as "Supervise / e").
    parties = w.table([
        ["", "Name", "Job Title", "Signature"],
        ["Supervisee", "{{ supervisee }}", "{{ supervisee_job_title }}", ""],
        ["Supervisor", "{{ supervisor }}", "{{ supervisor_job_title }}", ""],
    ], widths=(3.2, 4.4, 4.2, 4.2), bold_first_column=True, row_height=1.4,
       keep_together=True)  # fmt: skip
    # The council's contract has no date beside the signatures.
    signatures(parties, {1: "supervisee", 2: "supervisor"}, signature=3)
    w.footer(FOOTER)
    return w


def safeguarding() -> Writer:
    w = Writer()
    w.title("Supervision Agreement / Contract")
    w.label("Name of Agency:", "{{ organisation }}")
    w.p(
        "This agreement is between {{ supervisor }}, the supervisor, and {{ supervisee }}, the "
        "supervisee, and covers the arrangements for safeguarding supervision as described "
        "within the Agency’s policy. As such it constitutes a contract for supervision which "
        "will be mutually binding and subject to regular review."
    )
    w.p(
        "In signing this agreement the supervisor and supervisee share a joint responsibility "
        "for the supervisory relationship and for preparing for the sessions.  This means that "
        "both parties fully commit to the development of an open and mutually trusting "
        "supervisory relationship where the supervisee is empowered to share and develop "
        "practice in the best interests of children, and disagreement or difficulties are "
        "identified and resolved as soon as possible."
    )
    w.p(
        "(For groups, this will involve shared responsibility of all participants, which should "
        "be based on mutual respect and trust and where all feel able to question and challenge "
        "assumptions and decisions)",
        italic=True,
    )

    w.h1("Length and frequency of supervision")
    # {{ meeting_day }} says how often as well ("the 2nd Tuesday of each month").
    w.p(
        "Supervision will take place on {{ meeting_day }} at {{ meeting_time }} and will last "
        "for {{ duration }}."
    )
    w.lead(
        "Who will ensure that any cancelled sessions are immediately booked at an alternative time?"
    )
    w.field("cancelled_sessions_rebooked_by")
    w.h1("Location")
    w.p("Where? {{ location }}")
    w.lead("Who will book this? What contingency arrangements?")
    w.field("location_booking_and_contingency")
    w.h1("Recording")
    w.lead(
        "How exactly will this happen – who will do what? Supervision records are the "
        "property of the agency, and the agency has access to Supervision records for audit "
        "or inspection purposes."
    )
    w.field("recording_arrangements")
    w.h1("Content of supervision")
    w.p(
        "Safeguarding supervision should be child focussed and should result in clear "
        "agreement about who will now do what in relation to the child to safeguard and promote "
        "their welfare."
    )
    w.p(
        "Both will bring their agenda items to the session and agree at the start how this "
        "will be prioritised."
    )
    w.h1("Confidentiality")
    w.lead("Discussions in safeguarding supervision will be confidential unless:")
    for item in ("a. a child may be at risk of significant harm",
                 "b. there is unsafe practice placing people at risk",
                 "c. there is illegal activity"):  # fmt: skip
        w.p(item)
    w.p(
        "How this will be dealt with – action usually mutually agreed unless doing so will meet "
        "the above criteria."
    )
    w.p(
        "Other issues, such as concerns about practice, training needs, etc, will not be taken "
        "outside of supervision without advising the supervisor/supervisee first."
    )
    w.h1(
        "Complaints and disagreements with regards to supervision: How any difficulties will "
        "be dealt with in working together"
    )
    w.p(
        "Any complaint or disagreement will be discussed, agreed and recorded, prior to any "
        "other action being taken, or the issue being discussed with another manager unless, as "
        "above, in the view of the supervisor this may place a child at risk of harm."
    )
    w.h1("Expectations")
    for prompt, tag in (
        ("What the supervisee wants from the supervisor", "expectations_supervisee_wants"),
        ("What the supervisor wants from the supervisee", "expectations_supervisor_wants"),
        ("What each will contribute", "expectations_each_contributes"),
        ("How they will link back to the line manager if elements of supervision are "
         "“contracted out”. This is to keep the line manager aware of issues and of concerns on "
         "practice /performance – for example, the supervisor will agree a note to the line "
         "manager at the end of the session, or the supervision records will be shared etc…",
         "expectations_link_to_line_manager"),
        ("What supervision is not i.e. counselling for the worker in relation to private "
         "issues.", "expectations_supervision_is_not"),
    ):  # fmt: skip
        w.h2(prompt) if len(prompt) < 60 else w.lead(prompt, bold=True)
        w.field(tag, lines=2)
    w.h1("Review Arrangements")
    w.p("How and When this agreement will be reviewed……usually 6 months to a year…")
    w.lead(
        "This agreement will be reviewed by {{ review_date }}, and whenever the supervisor changes."
    )
    w.field("review_arrangements")
    meeting_table(w, "Dates of Supervision Meetings (next 12 months)")
    w.h1("Signatures")
    signed = w.table([
        ["", "Name", "Signed", "Date"],
        ["Supervisor", "{{ supervisor }}", "", ""],
        ["Supervisee", "{{ supervisee }}", "", ""],
    ], widths=(3.2, 4.8, 5.0, 3.0), bold_first_column=True, row_height=1.4,
       keep_together=True)  # fmt: skip
    signatures(signed, {1: "supervisor", 2: "supervisee"}, signature=2, date=3)
    w.footer(FOOTER)
    return w


def stoke() -> Writer:
    w = Writer()
    w.p("City of Stoke on Trent Children’s and Families Services", bold=True)
    w.title("SUPERVISION AGREEMENT")
    w.table([
        ["Between", "{{ supervisor_with_title }}"],
        ["and", "{{ supervisee_with_title }}"],
        ["Minimum frequency", "{{ frequency }}"],
        ["Usual location", "{{ location }}"],
        ["Anticipated duration", "{{ duration }}"],
    ], widths=(5.0, 11.0), header=False, bold_first_column=True,
       keep_together=True)  # fmt: skip

    def clause(number: str, text: str, *, keep: bool = False) -> None:
        w.p(f"{number}\t{text}", keep=keep)

    w.h1("1.\tGeneral")
    clause(
        "1.1",
        "The main purpose of a Supervision Agreement is to establish a shared "
        "understanding and expectations regarding the arrangements between the people "
        "involved.",
    )
    clause(
        "1.2",
        "Supervision agreements are particularly useful at the start of any working "
        "relationship. The contents of any agreement should be drawn up in line with the "
        "Children’s Services Supervision Policy and Procedures -Supervision of Staff.",
    )
    w.h1("2.\tCommitment")
    clause(
        "2.1",
        "The main purpose of supervision is to provide support in such a way to "
        "ensure that supervisees have the appropriate knowledge, skills, and experience to "
        "carry out their duties effectively and efficiently.",
    )
    clause(
        "2.2",
        "Each service area makes its own contribution to achieving Children’s "
        "Services objectives as laid out in Childrens Vision Room to Grow. Therefore, "
        "commitment to arrangements that have been agreed should be a responsibility shared "
        "between Supervisor and Supervisee and should form an agenda item in supervision "
        "from time to time.",
    )
    # The seed has no 2.3: the council's numbering is kept as it is.
    clause(
        "2.4",
        "Supervision sessions should be regarded as high priority and should be "
        "rearranged rather than cancelled except in those exceptional circumstances where "
        "they cannot go ahead as planned.",
    )
    clause(
        "2.5",
        "Colleagues should be aware that supervision sessions are not to be "
        "interrupted without good cause.",
    )
    w.h1("3.\tAgenda")
    clause(
        "3.1",
        "Both Supervisor and Supervisee will agree an agenda at least at the "
        "beginning of each session.",
    )
    clause("3.2", "Standard agenda items may include issues specific to the Supervisee.")
    clause(
        "3.3",
        "For specific items requiring thought prior to supervision, a realistic "
        "period should be given by each party to consider these.",
    )
    clause(
        "3.4",
        "As well as job related issues, regular attention should be given to "
        "professional development and personal matters which may be discussed where "
        "appropriate and necessary.",
    )
    clause("3.5", "Standard agenda items to include:", keep=True)
    for item in ("a) Well-being", "b) Time off in lieu, annual leave, sickness",
                 "c) Training and development", "d) Equality & Diversity",
                 "e) Health and safety", "f) Caseload Discussion",
                 "g) Workload Management."):  # fmt: skip
        w.p(f"\t{item}")
    w.h1("4.\tPreparation for Supervision")
    clause(
        "4.1",
        "Both parties have the right to expect that each person will come to the "
        "session prepared for the topics on the agenda.",
    )
    w.h1("5.\tDisclosure of personal matters")
    clause(
        "5.1",
        "For example health concerns or those having a significant bearing on the "
        "supervisees capacity to work normally are likely to require discussion with the "
        "Supervisor’s Line Manager. Such discussions, wherever possible, should be had with "
        "the knowledge and agreement of the supervisee.",
    )
    w.h1("6.\tSupervision Record")
    clause(
        "6.1",
        "A supervision record will be kept for each session. This will be written by "
        "{{ record_written_by }} and distributed within {{ record_shared_within }} working "
        "days. Both Supervisor and Supervisee should retain a copy of these records in a "
        "personal file.",
    )
    clause(
        "6.2",
        "Each party is asked to sign and date the record. Supervision records other "
        "than casework decisions will not normally be shared with a third party without the "
        "agreement of both parties.",
    )
    clause(
        "6.3",
        "Supervision records are the property of the City of Stoke on Trent Children "
        "and Families Services and in exceptional circumstances disclosure can be required "
        "if a performance or disciplinary issue arises concerning either party.",
    )
    w.lead(
        "(Include arrangements to ensure minimum frequency level of supervision occurs "
        "while Manager is on annual leave or off sick)",
        italic=True,
    )
    w.p("{{ cover_arrangements }}")
    w.h1("7.\tDisagreements")
    clause(
        "7.1",
        "Areas of disagreement between Supervisor and Supervisee will be recorded on "
        "the supervision records.",
    )
    clause(
        "7.2",
        "Areas of disagreement that cannot be resolved, including failure for "
        "supervision to occur at prescribed intervals, will be referred to the Service or "
        "Strategic Manager.",
    )
    meeting_table(w, "Dates of Supervision Meetings (next 12 months)")
    # The council's form dates the agreement itself (its start); each party signs.
    closing = w.table([
        ["Date of Agreement:", "{{ start_date }}"],
        ["Signed\n(Supervisor)", ""],
        ["Date of Agreement:", "{{ start_date }}"],
        ["Signed\n(Supervisee)", ""],
    ], widths=(5.0, 11.0), header=False, bold_first_column=True, row_height=1.3,
       keep_together=True)  # fmt: skip
    signatures(closing, {1: "supervisor", 3: "supervisee"}, signature=1)
    w.footer(FOOTER)
    return w


LAYOUTS = {"sefton": sefton, "contract": contract, "safeguarding": safeguarding, "stoke": stoke}


def main(names: list[str]) -> None:
    for name in names or list(LAYOUTS):
        path = OUT / f"{name}.docx"
        LAYOUTS[name]().save(str(path))
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
