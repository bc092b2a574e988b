"""Write data/example_roster.xlsx: fictional pairs covering every layout, role and nation.

    python data/make_example_roster.py

Everyone here is made up. Dates are real Excel dates (as a roster typed in Excel has them),
except two typed as dd/mm/yyyy text, as rosters pasted from other systems often have.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

HEADERS = [
    "Layout", "Organisation", "Supervisee", "Supervisee job title", "Supervisee email",
    "Supervisor", "Supervisor job title", "Supervisor email", "Role", "Newly qualified",
    "Started in post", "Start date", "Frequency", "Meeting day", "Meeting time", "Duration",
    "Location", "Nation", "Key tasks",
]  # fmt: skip


def d(day: int, month: int, year: int) -> datetime:
    return datetime(year, month, day)


ROWS = [
    ["sefton", "Sefton Council", "Amira Khan", "Social Worker", "amira.khan@example.gov.uk",
     "Joe Bloggs", "Team Manager", "joe.bloggs@example.gov.uk", "Social worker", "No", None,
     d(2, 3, 2026), None, "Tuesday", time(10, 0), 90, "Bootle Town Hall, room 2", "England",
     "Child protection caseload of 14 children\nCourt work (two care proceedings)\n"
     "Mentoring a student social worker"],
    ["sefton", "Sefton Council", "Siân O'Neill-Ó Súilleabháin", "Social Worker (ASYE)",
     "sian.oneill@example.gov.uk", "Joe Bloggs", "Team Manager", "joe.bloggs@example.gov.uk",
     "Social worker", "Yes", d(7, 9, 2026), d(7, 9, 2026), None, "Monday", time(14, 0), 60,
     "Bootle Town Hall, room 2", "England", "Protected caseload (ASYE)\nShadowing duty work"],
    ["sefton", "Sefton Council", "Joe Bloggs", "Team Manager", "joe.bloggs@example.gov.uk",
     "Priya Raman", "Service Manager", "priya.raman@example.gov.uk", "Team manager", "No",
     None, "06/01/2026", None, "1st Thursday", time(9, 30), 90, "Magdalen House, Bootle",
     "England",
     "Managing the Assessment Team (8 social workers)\nChairing legal planning meetings"],
    ["sefton", "Sefton Council", "Kwame Mensah", "Family Support Worker",
     "kwame.mensah@example.gov.uk", "Joe Bloggs", "Team Manager", "joe.bloggs@example.gov.uk",
     "Family support worker", "No", None, d(16, 2, 2026), None, "Wednesday", time(11, 0), 60,
     "Southport Family Hub", "England", "Parenting support to 9 families\nContact supervision"],
    ["contract", "Thornbury Borough Council", "Hannah Williams", "Senior Social Worker",
     "", "Gareth Price", "Practice Manager", "", "Social worker", "No", None,
     d(1, 4, 2026), None, "last Friday", time(13, 30), 90, "Civic Centre, meeting room 4",
     "Wales", "Looked-after children caseload\nPractice educator for one student"],
    ["contract", "Thornbury Borough Council", "Gareth Price", "Practice Manager", "",
     "Eleri Morgan", "Service Manager", "", "Practice manager", "No", None, d(4, 5, 2026),
     None, "2nd Tuesday", time(10, 0), 90, "Civic Centre, meeting room 4", "Wales",
     "Leading the Children Looked After practice group"],
    ["safeguarding", "Harbourside Safeguarding Partnership", "Fiona MacLeod",
     "Early Help Practitioner", "fiona.macleod@example.org", "Callum Reid",
     "Safeguarding Lead", "callum.reid@example.org", "Early help practitioner", "No", None,
     d(30, 11, 2026), None, "Monday", time(15, 0), 60, "Leith Community Centre", "Scotland",
     "Early help assessments\nTeam around the family meetings"],
    ["safeguarding", "Harbourside Safeguarding Partnership", "Ruairi Brennan",
     "Social Worker", "ruairi.brennan@example.org", "Aoife Gallagher", "Principal Social Worker",
     "aoife.gallagher@example.org", "Social worker", "No", None, d(17, 3, 2026), None,
     "Thursday", time(10, 0), 90, "Lisburn Road office", "Northern Ireland",
     "Family intervention caseload\nChild protection case conferences"],
    ["stoke", "City of Stoke-on-Trent", "Daniel Okafor", "Personal Adviser",
     "daniel.okafor@example.gov.uk", "Rachel Hughes", "Team Manager, Leaving Care",
     "rachel.hughes@example.gov.uk", "Personal adviser", "No", None, d(5, 1, 2026), None,
     "Tuesday", time(9, 0), 60, "Civic Centre, Glebe Street", "England",
     "Pathway plans for 20 care leavers\nStaying Put arrangements"],
    ["stoke", "City of Stoke-on-Trent", "Chloe Bennett", "Newly Qualified Social Worker",
     "chloe.bennett@example.gov.uk", "Rachel Hughes", "Team Manager, Leaving Care",
     "rachel.hughes@example.gov.uk", "Social worker", "Yes", d(1, 6, 2026), "03/08/2026",
     None, "Friday", time(11, 0), 60, "Civic Centre, Glebe Street", "England",
     "ASYE protected caseload of 8 young people"],
    ["stoke", "City of Stoke-on-Trent", "Rachel Hughes", "Team Manager, Leaving Care",
     "rachel.hughes@example.gov.uk", "Martin Doyle", "Strategic Manager",
     "martin.doyle@example.gov.uk", "Team manager", "No", None, d(12, 10, 2026), None,
     "3rd Wednesday", time(14, 0), 90, "Civic Centre, Glebe Street", "England",
     "Leaving Care service\nCorporate parenting panel"],
    ["sefton", "Sefton Council", "Tomasz Nowak", "Social Worker", "tomasz.nowak@example.gov.uk",
     "Priya Raman", "Service Manager", "priya.raman@example.gov.uk", "Social worker", "No", None,
     d(23, 11, 2026), "fortnightly", "Thursday", time(15, 30), 60, "Magdalen House, Bootle",
     "England", "Complex child protection cases during team restructure"],
    ["contract", "Thornbury Borough Council", "Grace Adeyemi", "Strategic Manager", "",
     "Helen Carter", "Director of Children's Services", "", "Strategic manager", "No", None,
     d(3, 3, 2026), None, None, None, None, None, "England",
     "Children's social care improvement plan"],
]  # fmt: skip


def main() -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Roster"
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, time):
                cell.number_format = "hh:mm"
    widths = (12, 30, 28, 28, 30, 18, 26, 30, 22, 10, 14, 12, 12, 14, 10, 9, 30, 16, 50)
    for column, width in zip("ABCDEFGHIJKLMNOPQRS", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    leave = workbook.create_sheet("Leave")
    leave.append(["Supervisor", "From", "To"])
    leave.append(["Rachel Hughes", datetime(2026, 8, 3), datetime(2026, 8, 21)])
    for cell in leave["B"][1:] + leave["C"][1:]:
        cell.number_format = "dd/mm/yyyy"
    path = Path(__file__).resolve().parent / "example_roster.xlsx"
    workbook.save(path)
    return path


if __name__ == "__main__":
    print(f"wrote {main()}")
