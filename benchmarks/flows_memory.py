"""Benchmark: `doorbraak flows score` on many transactions in bounded memory (issue 15).

Generates N synthetic AMLworld transactions (`flows synth`), trains a model on a small
labelled set, then scores the N transactions with `flows score` (2 threads, the given DuckDB
memory limit, spilling into the work directory) in a process of its own, and reports its wall
time and peak resident memory (ru_maxrss of that process alone, from `wait4`). Target: 50
million transactions under 8 GB peak on 2 cores.

    python benchmarks/flows_memory.py --transactions 50000000 --memory-limit 5GB
    python benchmarks/flows_memory.py --transactions 1000000 --memory-limit 500MB   # quick

    RESULT scale_tx=… scale_seconds=… scale_peak_gb=… memory_limit=… flagged=…
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _command(*args: str, threads: int) -> tuple[list[str], dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), OMP_NUM_THREADS=str(threads))
    return [sys.executable, "-m", "doorbraak_analysis.moneyflows.cli", *args], env


def flows(*args: str, threads: int = 2) -> subprocess.CompletedProcess[str]:
    cmd, env = _command(*args, threads=threads)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-5000:])
        raise SystemExit(f"failed: doorbraak flows {' '.join(args)}")
    return proc


def flows_measured(*args: str, threads: int = 2) -> tuple[str, float]:
    """Run ``flows`` and return its stderr and the peak resident memory (KiB) of that one
    process, from its own rusage (``wait4``): RUSAGE_CHILDREN would report the largest child
    so far, and generating 50 million transactions takes more memory than scoring them."""
    cmd, env = _command(*args, threads=threads)
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    if proc.returncode != 0:
        sys.stderr.write(stderr[-5000:])
        raise SystemExit(f"failed: doorbraak flows {' '.join(args)}")
    return stderr, usage.ru_maxrss


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--transactions", type=int, default=50_000_000)
    p.add_argument("--memory-limit", default="5GB", help="DuckDB memory limit of flows score")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--train-transactions", type=int, default=200_000)
    p.add_argument("--work", help="work directory (default: a temporary one, removed after)")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    args = p.parse_args()

    work = Path(args.work or tempfile.mkdtemp(prefix="flows-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        flows("synth", "--transactions", str(args.train_transactions), "--seed", "3",
              "--laundering-rate", "0.008", "--out-dir", str(work / "train"))  # fmt: skip
        flows("train", "--input", str(work / "train" / "transactions.csv"),
              "--model", str(work / "model"))  # fmt: skip
        flows("synth", "--transactions", str(args.transactions), "--out-dir", str(work / "big"))
        print(f"data and model ready in {time.perf_counter() - t0:.0f}s", flush=True)

        t1 = time.perf_counter()
        stderr, peak = flows_measured(
            "score",
            "--input", str(work / "big" / "transactions.csv"),
            "--model", str(work / "model"),
            "--out", str(work / "scores.csv"),
            "--threads", str(args.threads),
            "--memory-limit", args.memory_limit,
            "--temp-directory", str(work / "spill"),
            "--log-steps",
            threads=args.threads,
        )  # fmt: skip
        seconds = time.perf_counter() - t1
        sys.stderr.write(stderr[-3000:])
        scored = [ln for ln in stderr.splitlines() if ln.startswith("scored ")]
        flagged = scored[-1].split()[3] if scored else "na"
        print(
            f"RESULT scale_tx={args.transactions} scale_seconds={seconds:.0f} "
            f"scale_peak_gb={peak / 1024 / 1024:.2f} memory_limit={args.memory_limit} "
            f"flagged={flagged}"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
