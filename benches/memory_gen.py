#!/usr/bin/env python3
"""Inputs for measuring the reshaping readers' memory (issue 12).

    python3 benches/memory_gen.py oneroster N OUT.zip   # N students, classes of 25, 10 line items per class
    python3 benches/memory_gen.py long-distinct N OUT.csv  # N students, a skill of their own each
    python3 benches/memory_gen.py long ROWS OUT.csv     # ROWS long rows: 10 skills per student
    python3 benches/memory_gen.py items N OUT.csv       # N students x 40 items, and OUT.blueprint.csv
    python3 benches/memory_gen.py wide N OUT.csv        # N students x 10 skills, one row each
    python3 benches/memory_gen.py iready N OUT.csv      # an i-Ready export (a profile, wide): N students x 6 domains

Deterministic (no randomness): the same arguments give the same bytes.
See benches/memory.sh for the measurements the README quotes.
"""
import sys
import zipfile

CLASS = 25
ITEMS = 10


def oneroster(n, out):
    classes = (n + CLASS - 1) // CLASS
    files = {}
    files["manifest.csv"] = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n" + "".join(
        f"file.{f},bulk\n" for f in ["users", "enrollments", "classes", "lineItems", "results"]
    ) + "file.categories,absent\n"
    users = ["sourcedId,status,role,givenName,familyName,identifier,grades"]
    enr = ["sourcedId,status,classSourcedId,userSourcedId,role"]
    for s in range(n):
        users.append(f"u{s},active,student,Given{s},Family{s},{100000 + s},04")
        enr.append(f"e{s},active,c{s // CLASS},u{s},student")
    files["users.csv"] = "\n".join(users) + "\n"
    files["enrollments.csv"] = "\n".join(enr) + "\n"
    files["classes.csv"] = "sourcedId,status,title\n" + "".join(
        f"c{c},active,Class {c}\n" for c in range(classes)
    )
    files["lineItems.csv"] = "sourcedId,status,title,classSourcedId,categorySourcedId,resultValueMin,resultValueMax\n" + "".join(
        f"li{c}-{i},active,Quiz {c}-{i},c{c},cat{i % 3},0,10\n" for c in range(classes) for i in range(ITEMS)
    )
    res = ["sourcedId,status,lineItemSourcedId,studentSourcedId,scoreStatus,score"]
    for s in range(n):
        c = s // CLASS
        for i in range(ITEMS):
            res.append(f"r{s}-{i},active,li{c}-{i},u{s},fully graded,{(s * 7 + i * 3) % 11}")
    files["results.csv"] = "\n".join(res) + "\n"
    if out.endswith(".zip"):
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in files.items():
                z.writestr(name, text)
    else:
        import os
        os.makedirs(out, exist_ok=True)
        for name, text in files.items():
            with open(os.path.join(out, name), "w") as f:
                f.write(text)


def long_distinct(n, out):
    with open(out, "w") as f:
        f.write("student_id,section,skill,score\n")
        for s in range(n):
            f.write(f"L{s},{s // CLASS},K{s},{(s * 7) % 101}\n")


def long_rows(rows, out):
    with open(out, "w") as f:
        f.write("student_id,name,section,skill,score\n")
        for r in range(rows):
            s, k = divmod(r, 10)
            f.write(f"L{s},Student {s},{s // CLASS},K{k},{(r * 7) % 101}\n")


def items(n, out):
    q = 40
    with open(out, "w") as f:
        f.write("student_id,name,section," + ",".join(f"Q{i}" for i in range(1, q + 1)) + "\n")
        for s in range(n):
            f.write(f"I{s},Student {s},{s // CLASS}," + ",".join(str((s + i) % 2) for i in range(q)) + "\n")
    with open(out.rsplit(".", 1)[0] + ".blueprint.csv", "w") as f:
        f.write("item,skill,points\n")
        for i in range(1, q + 1):
            f.write(f"Q{i},Skill {i % 8},1\n")


def wide(n, out):
    with open(out, "w") as f:
        f.write("student_id,name,section," + ",".join(f"K{k}" for k in range(10)) + "\n")
        for s in range(n):
            f.write(f"W{s},Student {s},{s // CLASS}," + ",".join(str((s * 7 + k) % 101) for k in range(10)) + "\n")


def iready(n, out):
    domains = ["Phonics", "Vocabulary", "Comprehension", "Number", "Algebra", "Geometry"]
    levels = ["Mid or Above Grade Level", "Early On Grade Level", "1 Grade Level Below", "2 Grade Levels Below"]
    with open(out, "w") as f:
        f.write("Student ID,First Name,Last Name,Class(es),Student Grade,Percentile,Overall Relative Placement,Completion Date,"
                + ",".join(f"{d} Relative Placement" for d in domains) + "\n")
        for s in range(n):
            f.write(f"R{s},Given{s},Family{s},Class {s // CLASS},4,{s % 99 + 1},{levels[s % 4]},2026-09-{s % 28 + 1:02},"
                    + ",".join(levels[(s + d) % 4] for d in range(len(domains))) + "\n")


if __name__ == "__main__":
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    {"oneroster": oneroster, "long-distinct": long_distinct, "long": long_rows, "items": items, "wide": wide, "iready": iready}[kind](n, out)
