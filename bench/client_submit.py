"""Submit latency and upload speed of Farmhand's client against the local farm.

1. The same small job with one small upload, submitted by ciocore (PyPI, unmodified, configured
   only by CONDUCTOR_URL/CONDUCTOR_API_KEY) and by Farmhand's client, first with new content
   (it uploads) and then as a resubmit (0 bytes sent). Each submit is timed inside its own
   process around the submit call only (imports excluded), token exchange included.
2. A 1 GiB upload over loopback (new content every run) vs ``cp`` of the same file, and
   ``dd conv=fsync`` (the farm fsyncs a stored file before renaming it into place); then the
   resubmit of that 1 GiB file, which sends nothing. A row for the client's side alone (the
   same streaming PUT into a socket that discards the bytes) separates client from farm cost.

Run: ``.venv/bin/python -m bench.client_submit`` (or ``make bench``).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any, Dict, List

from bench.farm_builds import write_random
from bench.scratch_home import scratch_home

MIB = 1024**2
GIB = 1024**3
CIOCORE_RUNS = 3
FARMHAND_RUNS = 15
BIG_RUNS = 3

_CIOCORE_SUBMIT = r"""
import json, logging, sys, time
logging.disable(logging.CRITICAL)
from ciocore import conductor_submit
args = json.loads(sys.argv[1])
start = time.perf_counter()
response, code = conductor_submit.Submit(args).main()
print(json.dumps({"seconds": time.perf_counter() - start, "code": code,
                  "jobid": response.get("jobid")}))
"""

_FARMHAND_SUBMIT = r"""
import json, sys, time
from farmhand.core.connectors import connect
import farmhand.core.connectors.conductor.connector  # imports outside the timing, as ciocore's
url, key, payload = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
start = time.perf_counter()
with connect(url, environ={"CONDUCTOR_API_KEY": key}) as client:
    result = client.submit(payload)
print(json.dumps({"seconds": time.perf_counter() - start, "jobid": result.job_id,
                  "uploaded_bytes": result.uploaded_bytes, "hashed": result.hashed_files}))
"""


def _run_json(command: List[str], env: Dict[str, str]) -> Dict[str, Any]:
    out = subprocess.check_output(command, env=env, timeout=600)
    result: Dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


def small_job(scratch: str, url: str, key: str) -> Dict[str, Any]:
    from farmhand.core.connectors import connect

    with connect(url, environ={"CONDUCTOR_API_KEY": key}) as client:
        instance_type = client.catalogue().instance_types[0].name
    env = dict(os.environ)
    env.update(
        CONDUCTOR_URL=url,
        CONDUCTOR_API_KEY=key,
        HOME=os.path.join(scratch, "ciocore-home"),
        TMPDIR=os.path.join(scratch, "ciocore-tmp"),  # ciocore's md5 cache lives there
        CONDUCTOR_LOG_LEVEL="ERROR",
    )
    os.makedirs(env["HOME"], exist_ok=True)
    os.makedirs(env["TMPDIR"], exist_ok=True)
    upload = os.path.join(scratch, "small", "scene.txt")
    os.makedirs(os.path.dirname(upload), exist_ok=True)

    def args(title: str) -> Dict[str, Any]:
        return {
            "job_title": title,
            "project": "default",
            "instance_type": instance_type,
            "tasks_data": [{"command": "true", "frames": "1"}],
            "output_path": os.path.join(scratch, "out"),
            "upload_paths": [upload],
            "local_upload": True,
        }

    results: Dict[str, List[float]] = {
        "ciocore_new": [],
        "ciocore_resubmit": [],
        "farmhand_new": [],
        "farmhand_resubmit": [],
    }
    for run in range(CIOCORE_RUNS):
        with open(upload, "w") as handle:
            handle.write("ciocore run {} {}\n".format(run, os.urandom(8).hex()))
        for case in ("ciocore_new", "ciocore_resubmit"):
            answer = _run_json([sys.executable, "-c", _CIOCORE_SUBMIT, json.dumps(args(case))], env)
            assert answer["code"] == 201, answer
            results[case].append(answer["seconds"])
    fh_env = dict(os.environ)
    for run in range(FARMHAND_RUNS):
        with open(upload, "w") as handle:
            handle.write("farmhand run {} {}\n".format(run, os.urandom(8).hex()))
        for case in ("farmhand_new", "farmhand_resubmit"):
            answer = _run_json(
                [sys.executable, "-c", _FARMHAND_SUBMIT, url, key, json.dumps(args(case))],
                fh_env,
            )
            if case == "farmhand_resubmit":
                assert answer["uploaded_bytes"] == 0 and answer["hashed"] == 0, answer
            else:
                assert answer["uploaded_bytes"] > 0, answer
            results[case].append(answer["seconds"])
    return {name: statistics.median(times) for name, times in results.items()}


def big_upload(scratch: str, url: str, key: str) -> Dict[str, Any]:
    from farmhand.core.connectors import connect

    source = os.path.join(scratch, "big", "plate.bin")
    os.makedirs(os.path.dirname(source), exist_ok=True)
    copy = os.path.join(scratch, "big-copy.bin")
    phases: Dict[str, List[float]] = {"hashing": [], "uploading": [], "total": []}
    cp_times, dd_times, sink_times, resubmit_times = [], [], [], []
    with connect(url, environ={"CONDUCTOR_API_KEY": key}) as client:
        instance_type = client.catalogue().instance_types[0].name
        payload = {
            "job_title": "1 GiB upload",
            "project": "default",
            "instance_type": instance_type,
            "tasks_data": [{"command": "true", "frames": "1"}],
            "output_path": "",
            "upload_paths": [source],
        }
        for _ in range(BIG_RUNS):
            write_random(source, GIB)  # new content: the farm must receive all of it
            subprocess.run(["sync"], check=True)  # no writeback of the source during timings
            subprocess.run(["cat", source], stdout=subprocess.DEVNULL, check=True)
            start = time.perf_counter()
            subprocess.run(["cp", source, copy], check=True)
            cp_times.append(time.perf_counter() - start)
            os.unlink(copy)
            start = time.perf_counter()
            subprocess.run(
                ["dd", "if=" + source, "of=" + copy, "bs=4M", "conv=fsync", "status=none"],
                check=True,
            )
            dd_times.append(time.perf_counter() - start)
            os.unlink(copy)
            subprocess.run(["sync"], check=True)
            sink_times.append(_send_to_sink(source))
            marks: Dict[str, float] = {}

            def on_progress(event: Any, marks: Dict[str, float] = marks) -> None:
                marks.setdefault(event.phase, time.perf_counter())

            start = time.perf_counter()
            result = client.submit(payload, progress=on_progress)
            end = time.perf_counter()
            assert result.uploaded_bytes == GIB, result
            phases["hashing"].append(marks["uploading"] - marks["hashing"])
            phases["uploading"].append(marks["submitting"] - marks["uploading"])
            phases["total"].append(end - start)
            start = time.perf_counter()
            again = client.submit(payload)
            resubmit_times.append(time.perf_counter() - start)
            assert again.uploaded_bytes == 0 and again.hashed_files == 0, again
    return {
        "cp": statistics.median(cp_times),
        "dd_fsync": statistics.median(dd_times),
        "sink": statistics.median(sink_times),
        "hashing": statistics.median(phases["hashing"]),
        "uploading": statistics.median(phases["uploading"]),
        "total": statistics.median(phases["total"]),
        "resubmit": statistics.median(resubmit_times),
    }


def many_files(scratch: str, url: str, key: str) -> Dict[str, Any]:
    """10,000 files of 1 KiB (a texture folder, a cache sequence): first submit and resubmit."""
    from farmhand.core.connectors import connect

    folder = os.path.join(scratch, "many")
    os.makedirs(folder)
    for index in range(10000):
        with open(os.path.join(folder, "f{:05d}.bin".format(index)), "wb") as handle:
            handle.write(os.urandom(1024))
    with connect(url, environ={"CONDUCTOR_API_KEY": key}) as client:
        payload = {
            "job_title": "10,000 files",
            "project": "default",
            "instance_type": client.catalogue().instance_types[0].name,
            "tasks_data": [{"command": "true", "frames": "1"}],
            "output_path": "",
            "upload_paths": [folder],
        }
        start = time.perf_counter()
        first = client.submit(payload)
        new = time.perf_counter() - start
        assert first.uploaded_files == 10000, first
        start = time.perf_counter()
        again = client.submit(payload)
        resubmit = time.perf_counter() - start
        assert again.uploaded_bytes == 0 and again.hashed_files == 0, again
    return {"new": new, "resubmit": resubmit}


def _send_to_sink(path: str) -> float:
    """The client's side alone: the same streaming PUT into a socket that discards the bytes
    (tells apart what the client costs from what the farm's receiving end costs)."""
    import socket
    import threading

    import requests

    from farmhand.core.transfer import FileRangeReader

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    size = os.path.getsize(path)

    def discard() -> None:
        connection, _ = server.accept()
        buffer = bytearray(MIB)
        received = 0
        header_end = -1
        head = b""
        while header_end < 0:
            head += connection.recv(65536)
            header_end = head.find(b"\r\n\r\n")
        received = len(head) - header_end - 4
        while received < size:
            count = connection.recv_into(buffer)
            if not count:
                break
            received += count
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        connection.close()

    thread = threading.Thread(target=discard, daemon=True)
    thread.start()
    start = time.perf_counter()
    with FileRangeReader(path) as body, requests.Session() as session:
        session.trust_env = False
        url = "http://127.0.0.1:{}/sink".format(server.getsockname()[1])
        session.put(url, data=body, timeout=60).raise_for_status()
    seconds = time.perf_counter() - start
    thread.join(10)
    server.close()
    return seconds


def main() -> Dict[str, Any]:
    from farmhand.farm import control
    from farmhand.farm.paths import FarmPaths

    with scratch_home("farmhand-bench-client-") as scratch:
        paths = FarmPaths(os.path.join(scratch, "home", "farm"))
        try:
            url, key = control.start(paths=paths)
            small = small_job(scratch, url, key)
            big = big_upload(scratch, url, key)
            many = many_files(scratch, url, key)
        finally:
            control.stop(paths)
    print(
        "Submit latency, one small upload (median; ciocore {} runs, Farmhand {} runs)".format(
            CIOCORE_RUNS, FARMHAND_RUNS
        )
    )
    print("| case | ciocore | Farmhand | ratio |")
    print("|---|---|---|---|")
    for label, key_name in (("new content (uploads)", "new"), ("resubmit (0 bytes)", "resubmit")):
        cio, fh = small["ciocore_" + key_name], small["farmhand_" + key_name]
        print("| {} | {:.2f} s | {:.3f} s | {:.0f}x |".format(label, cio, fh, cio / fh))
    print()
    print("1 GiB over loopback to the local farm (median of {} runs)".format(BIG_RUNS))
    print("| step | time | throughput | vs cp |")
    print("|---|---|---|---|")
    rows = [
        ("cp (page cache)", big["cp"]),
        ("dd conv=fsync", big["dd_fsync"]),
        ("Farmhand client into a discard socket", big["sink"]),
        ("Farmhand: hashing", big["hashing"]),
        ("Farmhand: uploading", big["uploading"]),
        ("Farmhand: whole submit", big["total"]),
    ]
    for label, seconds in rows:
        print(
            "| {} | {:.2f} s | {:.0f} MiB/s | {:.2f}x |".format(
                label, seconds, GIB / seconds / MIB, seconds / big["cp"]
            )
        )
    print("| Farmhand: resubmit (0 bytes sent) | {:.3f} s | - | - |".format(big["resubmit"]))
    print()
    print("10,000 files of 1 KiB (one run)")
    print("| case | Farmhand |")
    print("|---|---|")
    print("| first submit (10,000 uploads) | {:.2f} s |".format(many["new"]))
    print("| resubmit (0 bytes) | {:.2f} s |".format(many["resubmit"]))
    sys.stdout.flush()
    return {"small": small, "big": big, "many": many}


if __name__ == "__main__":
    main()
