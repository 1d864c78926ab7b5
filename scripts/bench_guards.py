"""Memory guards: peak memory and time of loading two hostile files, with and without the guard.

Builds the issue's two files - a workbook of about 150 KB holding one 150 MB cell, and a Parquet
file of about 100 KB holding 10,000,000 rows - and loads each in a fresh process, once with the
default limits (refused before reading) and once with the limits raised (read in full). Prints
the file size, the outcome, the seconds taken and the process's peak resident memory (Linux),
against a baseline process that only imports the loader. Usage:
``python scripts/bench_guards.py [--skip-unguarded]`` (the unguarded runs take gigabytes).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

CHILD = """
import json, sys, time
from dashboard.errors import DatasetError
from dashboard.load import load_statements
start = time.perf_counter()
try:
    outcome = f"{len(load_statements(sys.argv[1])):,} rows"
except DatasetError as err:
    outcome = "refused: " + err.problem[:60]
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent through fork and exec.
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
peak = int(hwm.split()[1]) / 1024
print(json.dumps({"outcome": outcome, "s": time.perf_counter() - start, "peak_mb": peak}))
"""


def big_cell_xlsx(path: Path, megabytes: int = 150) -> None:
    buffer = io.BytesIO()
    pd.DataFrame({"text": ["x" * 32_767]}).to_excel(buffer, index=False, engine="openpyxl")
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"x" * 32_767, b"x" * (megabytes << 20))
            dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    path.write_bytes(out.getvalue())


def tall_parquet(path: Path, rows: int = 10_000_000) -> None:
    indices = pa.array(np.zeros(rows, dtype=np.int8))
    column = pa.DictionaryArray.from_arrays(indices, pa.array(["the same statement"]))
    pq.write_table(pa.table({"text": column}), path)


def run(path: Path, env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], env=env, capture_output=True, text=True
    )
    if done.returncode:
        return {"outcome": f"crashed ({done.returncode})", "s": 0.0, "peak_mb": 0.0}
    return json.loads(done.stdout)


def main() -> None:
    skip_unguarded = "--skip-unguarded" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "150 MB cell.xlsx": Path(tmp) / "cell.xlsx",
            "10M rows.parquet": Path(tmp) / "t.parquet",
        }
        big_cell_xlsx(files["150 MB cell.xlsx"])
        tall_parquet(files["10M rows.parquet"])
        raised = {"DASHBOARD_MAX_ROWS": "100000000", "DASHBOARD_MAX_XLSX_MB": "100000"}
        print(f"{'file':<18} {'size':>8}  {'limits':<8} {'outcome':<62} {'s':>6} {'peak MB':>8}")
        base = run(Path("/dev/null/none.csv"), dict(os.environ))
        print(f"{'(imports only)':<18} {'':>8}  {'':<8} {'':<62} {'':>6} {base['peak_mb']:>8,.0f}")
        for label, path in files.items():
            size = f"{path.stat().st_size / 1024:,.0f} KB"
            for name, extra in (("default", {}), ("raised", raised)):
                if name == "raised" and skip_unguarded:
                    continue
                result = run(path, {**os.environ, **extra})
                print(
                    f"{label:<18} {size:>8}  {name:<8} {result['outcome']:<62} "
                    f"{result['s']:>6.1f} {result['peak_mb']:>8,.0f}"
                )


if __name__ == "__main__":
    main()
