"""A resubmit of an unchanged tree reads no file contents (issue 5), seen from the kernel.

``farmhand submit``'s client runs in a child process under ``strace``, against a real local
farm, and every ``open``/``openat`` of a path inside the uploaded tree is collected. The
first submit must open every file (it hashes and uploads them: this proves the trace sees
reads); the resubmit of the same tree must open none (folders are listed, which opens them
with ``O_DIRECTORY``, and files are stat'ed, which reads no content); after one file is
touched (same bytes, new mtime) exactly that file is opened again.
"""

import codecs
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import require

pytestmark = pytest.mark.timeout(180)

SUBMIT = r"""
import json, sys
from farmhand.core.connectors import connect
home, tree = sys.argv[1], sys.argv[2]
with connect("local", environ={"FARMHAND_HOME": home, "FARMHAND_COMMAND": "false"}) as client:
    result = client.submit({
        "job_title": "resubmit reads",
        "project": "default",
        "instance_type": client.catalogue().instance_types[0].name,
        "tasks_data": [{"command": "true", "frames": "1"}],
        "output_path": "",
        "upload_paths": [tree],
    })
print(json.dumps({"hashed": result.hashed_files, "cached": result.cached_files,
                  "uploaded": result.uploaded_files}))
"""

_OPEN = re.compile(r'open(?:at)?\((?:[A-Z_]+|\d+), "((?:[^"\\]|\\.)*)", ([A-Z_|]+)')


def opened_files(trace, tree):
    """Paths inside ``tree`` opened as files (not as folders) in an strace log."""
    found = set()
    with open(trace, encoding="ascii", errors="replace") as handle:
        for line in handle:
            match = _OPEN.search(line)
            if match and "O_DIRECTORY" not in match.group(2):
                # strace writes bytes outside ASCII as octal escapes (\303\274 for ü)
                path = codecs.escape_decode(match.group(1).encode("ascii"))[0].decode("utf-8")
                if path.startswith(tree + os.sep) and "ENOENT" not in line:
                    found.add(os.path.relpath(path, tree))
    return found


def traced_submit(client_farm, tree, trace):
    env = dict(os.environ, FARMHAND_HOME=client_farm.home, FARMHAND_COMMAND="false")
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=open,openat", "-o", trace]
        + [sys.executable, "-c", SUBMIT, client_farm.home, tree],
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_resubmit_of_an_unchanged_tree_opens_no_file(client_farm, tmp_path):
    require(shutil.which("strace"), "strace (Debian package strace)")
    traceable = subprocess.run(["strace", "-o", os.devnull, "true"], capture_output=True)
    assert traceable.returncode == 0, "strace cannot trace here: {}".format(traceable.stderr)
    tree = tmp_path / "project"
    names = []
    for folder in ("textures", "caches/fluid", "scenes"):
        for index in range(5):
            path = tree / folder / "file {} ü.bin".format(index)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(os.urandom(1000 + index))
            names.append(os.path.relpath(str(path), str(tree)))
    (tree / "scenes" / "empty.txt").write_bytes(b"")
    names.append(os.path.join("scenes", "empty.txt"))
    trace = str(tmp_path / "trace.txt")

    first = traced_submit(client_farm, str(tree), trace)
    assert (first["hashed"], first["uploaded"]) == (16, 16)
    assert opened_files(trace, str(tree)) == set(names)  # the trace does see reads

    again = traced_submit(client_farm, str(tree), trace)
    assert (again["hashed"], again["cached"], again["uploaded"]) == (0, 16, 0)
    assert opened_files(trace, str(tree)) == set()

    touched = tree / "textures" / "file 3 ü.bin"
    stat = os.stat(str(touched))
    os.utime(str(touched), ns=(stat.st_atime_ns, stat.st_mtime_ns + 1000))
    third = traced_submit(client_farm, str(tree), trace)
    assert (third["hashed"], third["cached"], third["uploaded"]) == (1, 15, 0)
    assert opened_files(trace, str(tree)) == {os.path.join("textures", "file 3 ü.bin")}
