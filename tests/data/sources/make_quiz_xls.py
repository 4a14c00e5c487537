"""Write quiz.xls, the example quiz (examples/quiz.csv) as an Excel 97-2003
workbook: a sheet `Quiz`, the header on row 1, every cell that reads as a
number written as a number cell, every other as a text cell, empty cells
left empty.

No real .xls of results could be fetched, and no Rust crate writes the
format, so this script (xlwt 1.3.0, the last release) made the fixture once;
tests/sources/workbooks.rs reads it. Run it again only to change the file:

    python3 -m venv /tmp/xlwt && /tmp/xlwt/bin/pip install xlwt==1.3.0
    /tmp/xlwt/bin/python tests/data/sources/make_quiz_xls.py
"""

import csv
import pathlib

import xlwt

root = pathlib.Path(__file__).resolve().parents[3]
book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("Quiz")
with open(root / "examples" / "quiz.csv", newline="", encoding="utf-8") as f:
    for r, row in enumerate(csv.reader(f)):
        for c, cell in enumerate(row):
            if cell == "":
                continue
            try:
                sheet.write(r, c, float(cell))
            except ValueError:
                sheet.write(r, c, cell)
book.save(str(pathlib.Path(__file__).with_name("quiz.xls")))
