#!/usr/bin/env python3
"""Progress-monitoring probes for timing `tierplan plan` against the
compiled progress query (`tierplan sql --rules progress`).

    python3 benches/probes_gen.py N OUT.csv   # N students, 4 to 16 probes each

One measure, tiers 1 to 3, weekly or fortnightly probes around an
aimline, one goal per student. Seeded: the same N gives the same bytes.
"""
import datetime
import random
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    students, path = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(1)
    start = datetime.date(2026, 9, 7)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("student_id,name,section,tier,measure,date,score,goal,goal_date\n")
        for i in range(students):
            base, rate = rng.randint(20, 60), rng.choice([1, 2])
            weeks = rng.randint(10, 20)
            goal_date = start + datetime.timedelta(days=7 * weeks)
            tier, section = rng.choice(["1", "2", "3"]), f"G{i % 500}"
            day = 0
            for k in range(rng.randint(4, 16)):
                score = base if k == 0 else base + rate * day // 7 + rng.randint(-4, 4)
                date = start + datetime.timedelta(days=day)
                out.write(
                    f"P{i:07d},Pupil {i},{section},{tier},ORF,{date.isoformat()},{score},"
                    f"{base + rate * weeks},{goal_date.isoformat()}\n"
                )
                day += 7 * rng.randint(1, 2)


if __name__ == "__main__":
    main()
