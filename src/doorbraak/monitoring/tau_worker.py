"""Runs τ-ARGUS on a batch of tables: JSON on stdin, JSON on stdout. Started by
disclosure.tau_argus_patterns in a temporary working directory, because the native solvers
write their log files into the working directory. No Django needed."""

from __future__ import annotations

import json
import sys


def main() -> int:
    from doorbraak.monitoring.disclosure import TOTAL, _tau_argus_one

    jobs = json.load(sys.stdin)
    out = []
    for job in jobs:
        table = {(r, c): v for r, c, v in job["cells"]}
        try:
            cells = _tau_argus_one(table, job["rows"], job["cols"], "", TOTAL)
            out.append(sorted([r, c] for r, c in cells))
        except Exception:  # noqa: BLE001 - reported as None: the audit protects alone
            out.append(None)
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
