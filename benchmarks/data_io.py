"""Data in and out, end to end through the command line, on a fresh instance.

In a new temporary folder (its own ``instance/`` and SQLite file) this runs, as a newcomer
or a coordinator would, and times each command's whole process (start-up included):

1. ``consult init``;
2. ``consult demo --responses N`` for each N;
3. ``consult import-responses`` of the realistic 212-row export in ``tests/importing``
   (dry run, then for real with ``--skip-invalid``, then again: nothing added), and of a
   larger file of R rows made from it (each row repeated with its own timestamp, so
   every row is new);
4. ``consult export-open-data`` of the largest demo, as a folder.

Prints one line per step: the command, seconds, and what it said it did.

    python benchmarks/data_io.py                      # N = 2,000 and 20,000; R = 10,000
    python benchmarks/data_io.py --demo 2000 --rows 5000
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "importing" / "data"
EXPORT = DATA / "enia-formulario.csv"
MAPPING = DATA / "enia-formulario.yaml"
STAMP = "%d/%m/%Y %H:%M:%S"


def consult(folder: Path, *args: str) -> tuple[float, str]:
    """Run ``consult ARGS`` in ``folder``; its seconds and its last lines of output."""
    started = time.perf_counter()
    done = subprocess.run(
        [shutil.which("consult") or "consult", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "CONSULT_INSTANCE_PATH": str(folder / "instance")},
    )
    seconds = time.perf_counter() - started
    said = (done.stdout + done.stderr).strip().splitlines()
    if done.returncode not in (0,) and not (done.returncode == 2 and "--dry-run" in args):
        sys.exit(f"consult {' '.join(args)} failed ({done.returncode}):\n" + "\n".join(said[-10:]))
    kept = [line for line in said if not re.match(r"^(línea|line|INFO|\s+[+~-] )", line)]
    return seconds, " | ".join(line.strip() for line in kept[-4:])


def larger_export(rows: int, out: Path) -> None:
    """``rows`` rows from the realistic export, again and again, each copy a minute later
    than the last, so the row hashes differ; its rows with a wrong label or a missing
    region stay wrong (about 1 in 100), as in a real file."""
    text = EXPORT.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header, *body = list(reader)
    valid = []
    for row in body:
        try:
            datetime.strptime(row[0], STAMP)
        except ValueError:
            continue
        valid.append(row)
    start = datetime(2020, 12, 1, 8, 0, 0)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for n in range(rows):
            row = list(valid[n % len(valid)])
            row[0] = (start + timedelta(minutes=n)).strftime(STAMP)
            writer.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", default="2000,20000", help="Demo sizes, comma separated.")
    parser.add_argument("--rows", type=int, default=10_000, help="Rows of the larger import.")
    options = parser.parse_args()
    sizes = [int(n) for n in options.demo.split(",")]
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load {load:.1f}; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="consult-data-io-") as tmp:
        folder = Path(tmp)
        steps: list[tuple[str, list[str]]] = [("init", ["init"])]
        for n in sizes:
            steps.append((f"demo {n:,}", ["demo", "--responses", str(n)]))
        base = ["import-responses", "--consultation", "enia-2021"]
        real = [*base, str(EXPORT), "--mapping", str(MAPPING)]
        steps += [
            ("import 212 rows, dry run", [*real, "--dry-run"]),
            ("import 212 rows", [*real, "--skip-invalid"]),
            ("import 212 rows again", [*real, "--skip-invalid"]),
        ]
        big = folder / "larger.csv"
        larger_export(options.rows, big)
        steps.append(
            (
                f"import {options.rows:,} rows",
                [*base, str(big), "--mapping", str(MAPPING), "--skip-invalid"],
            )
        )
        out = folder / "open-data"
        steps.append(
            (
                f"open data of demo {sizes[-1]:,}",
                ["export-open-data", "--consultation", "enia-2021-demo", "--out", str(out)],
            )
        )
        for name, args in steps:
            seconds, said = consult(folder, *args)
            print(f"{name:32} {seconds:7.2f} s   {said[:150]}")
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
