#!/usr/bin/env python3
"""samerows.py A.csv B.csv [POLICY ...]: exit 0 if the two results CSVs
hold the same rows (at least one), in any order, comparing every column but `date` (the
day of the run); with POLICY..., only A's rows of those policies count.
Otherwise print the first difference and exit 1."""

import csv
import sys


def rows(path, policies=None):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        out = [tuple((k, v) for k, v in sorted(row.items()) if k != "date")
               for row in r if not policies or row["policy"] in policies]
    return sorted(out)


def main():
    a, b = rows(sys.argv[1], sys.argv[3:]), rows(sys.argv[2])
    if a == b and a:
        return 0
    if not a:
        print("no rows in %s" % sys.argv[1])
        return 1
    print("%d rows vs %d" % (len(a), len(b)))
    for x, y in zip(a, b):
        if x != y:
            print("first difference:", [kv for kv in x if kv not in y],
                  "vs", [kv for kv in y if kv not in x])
            break
    return 1


if __name__ == "__main__":
    sys.exit(main())
