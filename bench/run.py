"""Run every benchmark in ``bench/`` (``python -m bench.run [NAME...]``, used by ``make bench``).

A benchmark is a module ``bench/<name>.py`` with a top-level ``main()``; it is found by reading
the file (nothing is imported to find it) and run in its own interpreter, so one benchmark's
Qt application, threads or memory never skew the next. Exit status 1 when any benchmark fails.
"""

import ast
import os
import subprocess
import sys
import time
from typing import List

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def benchmarks() -> List[str]:
    """Names of the modules in bench/ that define ``main()`` at top level."""
    names = []
    for filename in sorted(os.listdir(HERE)):
        name, ext = os.path.splitext(filename)
        if ext != ".py" or name in ("__init__", "run"):
            continue
        with open(os.path.join(HERE, filename)) as handle:
            tree = ast.parse(handle.read(), filename)
        if any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in tree.body):
            names.append(name)
    return names


def main(argv: List[str]) -> int:
    available = benchmarks()
    unknown = [name for name in argv if name not in available]
    if unknown:
        print(
            "bench.run: unknown benchmark {}; available: {}".format(
                ", ".join(unknown), ", ".join(available)
            ),
            file=sys.stderr,
        )
        return 2
    failed = []
    for name in argv or available:
        print("== bench.{}".format(name), flush=True)
        started = time.perf_counter()
        code = subprocess.call(
            [sys.executable, "-c", "from bench.{} import main; main()".format(name)], cwd=ROOT
        )
        print(
            "== bench.{}: {} in {:.1f} s\n".format(
                name,
                "ok" if code == 0 else "FAILED ({})".format(code),
                time.perf_counter() - started,
            ),
            flush=True,
        )
        if code:
            failed.append(name)
    if failed:
        print("bench.run: failed: {}".format(", ".join(failed)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
