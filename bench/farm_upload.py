"""How fast the local farm receives uploads, with the client's cost kept as small as it gets.

Why: an upload into the farm on the same machine should cost little more than copying the
file, yet the farm must hash every byte (bytes whose md5 does not match are never stored)
and must not let a crash leave a half file that looks complete. This benchmark times the
farm's receiving end request by request, with a plain ``requests`` client streaming from the
page cache (``FileRangeReader``, as Farmhand's client does), next to ``cp`` and ``md5sum`` of
the same file in the same round:

* 1 GiB as one single-part PUT (a farm whose multipart threshold is above 1 GiB), then the
  submit of a job naming it (the submit waits until the file is durably in the store);
* 1 GiB as 16 multipart parts of 64 MiB (the farm's default), then ``complete``, then the
  submit;
* N small files of 1 KiB, 4 PUTs at a time (the client's upload threads), then the submit of
  one job naming all of them.

With ``--baseline DIR`` (a folder holding another build's ``farmhand`` package, e.g. an
older commit's ``farm/`` exported into a copy of ``build/__editable__*/farmhand``), farms of
both builds run side by side and every round times both, so a before/after comparison sees
the same machine load.

    python -m bench.farm_upload [--rounds 3] [--small 10000] [--baseline DIR]
"""

import argparse
import base64
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Tuple

import requests

from bench.farm_builds import start_farm, write_random

MIB = 1024**2
GIB = 1024**3


def _md5_b64(path: str) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(4 * MIB), b""):
            digest.update(block)
    return base64.b64encode(digest.digest()).decode("ascii")


class Farm:
    """A farm process in its own home (started as ``farmhand farm start`` does)."""

    def __init__(self, home: str, config: Dict[str, Any], pythonpath: Optional[str] = None) -> None:
        from farmhand.farm import control
        from farmhand.farm.paths import FarmPaths

        self.control = control
        self.paths = FarmPaths(os.path.join(home, "farm")).ensure()
        with open(self.paths.config, "w") as handle:
            json.dump(dict(config, probe_software=False), handle)
        self.url, key = start_farm(self.paths, 2, pythonpath)
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["Authorization"] = "Bearer " + control.get_token(self.url, key)
        reply = self.session.get(self.url + "/api/v1/instance-types")
        self.instance_type = reply.json()["data"][0]["name"]

    def stop(self) -> None:
        self.control.stop(paths=self.paths)

    def ask(self, files: List[Tuple[str, str, int]]) -> Dict[str, Any]:
        body = {
            "project": "default",
            "upload_files": [{"path": p, "hash": m, "size": s} for p, m, s in files],
        }
        reply = self.session.post(self.url + "/api/v2/files/get_upload_urls", json=body)
        reply.raise_for_status()
        answer: Dict[str, Any] = reply.json()
        return answer

    def submit(self, files: List[Tuple[str, str, int]]) -> None:
        """A one-task job naming the files: accepted only once they are in the store."""
        payload = {
            "job_title": "upload bench",
            "project": "default",
            "instance_type": self.instance_type,
            "output_path": "",
            "tasks_data": [{"command": "true", "frames": "1"}],
            "upload_files": [{"md5": m, "destination": p, "st_size": s} for p, m, s in files],
        }
        reply = self.session.post(self.url + "/jobs/", json=payload)
        assert reply.status_code == 201, reply.text


def _put(session: requests.Session, url: str, path: str, offset: int, length: int, **kw: Any):
    from farmhand.core.transfer import FileRangeReader

    with FileRangeReader(path, offset, length) as body:
        reply = session.put(url, data=body, timeout=600, **kw)
    assert reply.status_code == 200, reply.text
    return reply


def single_part(farm: Farm, path: str, md5: str) -> Dict[str, float]:
    entry = (path, md5, GIB)
    url = farm.ask([entry])["singlePartURLs"][0]["preSignedURL"]
    start = time.perf_counter()
    _put(farm.session, url, path, 0, GIB, headers={"Content-MD5": md5})
    put = time.perf_counter() - start
    farm.submit([entry])
    return {"put": put, "durable": time.perf_counter() - start}


def multipart(farm: Farm, path: str, md5: str) -> Dict[str, float]:
    entry = (path, md5, GIB)
    spec = farm.ask([entry])["multiPartURLs"][0]
    size = spec["partSize"]
    start = time.perf_counter()
    parts = []
    for part in spec["parts"]:
        number = part["partNumber"]
        offset = (number - 1) * size
        reply = _put(farm.session, part["url"], path, offset, min(size, GIB - offset))
        parts.append({"partNumber": number, "etag": reply.headers["ETag"].strip('"')})
    sent = time.perf_counter()
    body = {"uploadID": spec["uploadID"], "hash": md5, "completedParts": parts}
    reply = farm.session.post(farm.url + "/api/v2/files/multipart/complete", json=body)
    assert reply.status_code == 200, reply.text
    done = time.perf_counter()
    farm.submit([entry])
    end = time.perf_counter()
    return {
        "parts": sent - start,
        "complete": done - sent,
        "upload": done - start,
        "durable": end - start,
    }


def small_files(farm: Farm, folder: str, count: int) -> Dict[str, float]:
    os.makedirs(folder)
    entries = []
    for index in range(count):
        data = os.urandom(1024)
        path = os.path.join(folder, "f{:05d}.bin".format(index))
        with open(path, "wb") as handle:
            handle.write(data)
        entries.append((path, base64.b64encode(hashlib.md5(data).digest()).decode(), 1024))
    urls = [item["preSignedURL"] for item in farm.ask(entries)["singlePartURLs"]]
    assert len(urls) == count
    sessions: Dict[int, requests.Session] = {}

    def put(index: int) -> None:
        import threading

        session = sessions.setdefault(threading.get_ident(), requests.Session())
        session.trust_env = False
        path, md5, size = entries[index]
        _put(session, urls[index], path, 0, size, headers={"Content-MD5": md5})

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(put, range(count)))
    uploaded = time.perf_counter() - start
    farm.submit(entries)
    return {"upload": uploaded, "durable": time.perf_counter() - start}


def _timed(command: List[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: Any = None) -> Dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.farm_upload")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--small", type=int, default=10000)
    parser.add_argument("--baseline", default=None, help="another build's package folder")
    args = parser.parse_args(argv)
    builds = [("", None)]
    if args.baseline:
        builds = [("baseline ", os.path.abspath(args.baseline)), ("", None)]
    scratch = tempfile.mkdtemp(prefix="farmhand-bench-upload-")
    farms: Dict[str, Tuple[Farm, Farm]] = {}
    rows: Dict[str, List[float]] = {}
    small: Dict[str, Dict[str, float]] = {}

    def add(name: str, seconds: float) -> None:
        rows.setdefault(name, []).append(seconds)

    try:
        for label, pythonpath in builds:
            home = os.path.join(scratch, label.strip() or "current")
            farms[label] = (
                Farm(os.path.join(home, "single"), {"multipart_threshold": 2 * GIB}, pythonpath),
                Farm(os.path.join(home, "multi"), {}, pythonpath),
            )
        source = os.path.join(scratch, "plate.bin")
        copy = os.path.join(scratch, "copy.bin")
        for _ in range(args.rounds):
            write_random(source, GIB)  # new content: the farm must receive all of it
            subprocess.run(["sync"], check=True)
            md5 = _md5_b64(source)  # also warms the page cache
            add("cp", _timed(["cp", source, copy]))
            os.unlink(copy)
            add("md5sum", _timed(["md5sum", source]))
            add(
                "dd",
                _timed(["dd", "if=" + source, "of=" + copy, "bs=4M", "conv=fsync", "status=none"]),
            )
            os.unlink(copy)
            for label, (single_farm, multi_farm) in farms.items():
                subprocess.run(["sync"], check=True)
                for name, seconds in single_part(single_farm, source, md5).items():
                    add(label + "single_" + name, seconds)
                subprocess.run(["sync"], check=True)
                for name, seconds in multipart(multi_farm, source, md5).items():
                    add(label + "multi_" + name, seconds)
        for label, (_, multi_farm) in farms.items():
            subprocess.run(["sync"], check=True)
            folder = os.path.join(scratch, "small-" + (label.strip() or "current"))
            small[label] = small_files(multi_farm, folder, args.small)
    finally:
        for pair in farms.values():
            for farm in pair:
                farm.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    med = {name: statistics.median(values) for name, values in rows.items()}
    cp = med["cp"]
    print("1 GiB into the local farm over loopback (median of {} rounds)".format(args.rounds))
    print("| step | time | throughput | vs cp |")
    print("|---|---|---|---|")
    table = [("`cp` (page cache)", "cp"), ("`md5sum`", "md5sum"), ("`dd conv=fsync`", "dd")]
    for label in farms:
        table += [
            (label + "single-part PUT", label + "single_put"),
            (label + "single-part PUT, then the submit naming it", label + "single_durable"),
            (label + "multipart: 16 parts of 64 MiB", label + "multi_parts"),
            (label + "multipart: `complete`", label + "multi_complete"),
            (label + "multipart: parts + `complete`", label + "multi_upload"),
            (label + "multipart: parts + `complete`, then the submit", label + "multi_durable"),
        ]
    for text, name in table:
        seconds = med[name]
        print(
            "| {} | {:.2f} s | {:.0f} MiB/s | {:.2f}x |".format(
                text, seconds, GIB / seconds / MIB, seconds / cp
            )
        )
    print()
    print("{} files of 1 KiB, 4 PUTs at a time (one run)".format(args.small))
    print("| step | time | per file |")
    print("|---|---|---|")
    for label, result in small.items():
        for text, name in (("PUTs", "upload"), ("PUTs, then the submit naming them", "durable")):
            print(
                "| {}{} | {:.2f} s | {:.2f} ms |".format(
                    label, text, result[name], result[name] / args.small * 1000
                )
            )
    sys.stdout.flush()
    return {"medians": med, "small": small}


if __name__ == "__main__":
    main()
