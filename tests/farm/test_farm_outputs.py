"""Which files each task wrote into output_path, and ciocore's download listing of them."""

import base64
import hashlib
import os
import time

import pytest
import requests

from farmhand.farm.outputs import Runs, ScanInput, Window, frame_number, frame_owners, scan


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def test_each_task_records_the_files_it_wrote(farm, out_dir):
    (out_dir / "old.txt").write_text("was here before the job")
    tasks = [
        {
            "command": "mkdir -p {o}/sub && echo $FARMHAND_FRAMES > {o}/sub/beauty.{f:04d}.exr"
            " && echo log > {o}/task_{f}.log".format(o=out_dir, f=frame),
            "frames": str(frame),
        }
        for frame in range(1, 7)
    ]
    jid = farm.submit(payload=farm.payload(tasks, output_path=str(out_dir)))
    assert farm.wait(jid)["status"] == "success"
    for task, frame in zip(farm.tasks(jid), range(1, 7)):
        paths = sorted(o["path"] for o in task["outputs"])
        assert paths == sorted(
            [
                str(out_dir / "sub" / "beauty.{:04d}.exr".format(frame)),
                str(out_dir / "task_{}.log".format(frame)),
            ]
        ), task
        for output in task["outputs"]:
            with open(output["path"], "rb") as handle:
                data = handle.read()
            assert output["md5"] == md5_b64(data) and output["size"] == len(data)
    every = [o["path"] for t in farm.tasks(jid) for o in t["outputs"]]
    assert str(out_dir / "old.txt") not in every


def test_concurrent_tasks_are_told_apart_by_frame_number(farm, out_dir, tmp_path):
    gate = tmp_path / "gate"
    # Both tasks write while the other runs; the frame number in the name decides.
    tasks = [
        {
            "command": "echo x > {o}/shot.{f:04d}.png; while [ ! -e {g} ]; do sleep 0.02; done;"
            " echo y >> {o}/shot.{f:04d}.png".format(o=out_dir, f=frame, g=gate),
            "frames": str(frame),
        }
        for frame in (10, 20)
    ]
    jid = farm.submit(payload=farm.payload(tasks, output_path=str(out_dir)))
    farm.wait(jid, predicate=lambda j: j["tasks"]["running"] == 2)
    firsts = [out_dir / "shot.{:04d}.png".format(frame) for frame in (10, 20)]
    deadline = time.monotonic() + 10
    while not all(p.exists() and p.stat().st_size for p in firsts):  # both wrote their x
        assert time.monotonic() < deadline, "the tasks never wrote their first line"
        time.sleep(0.01)
    gate.write_text("go")
    assert farm.wait(jid)["status"] == "success"
    first, second = farm.tasks(jid)
    assert [o["path"] for o in first["outputs"]] == [str(out_dir / "shot.0010.png")]
    assert [o["path"] for o in second["outputs"]] == [str(out_dir / "shot.0020.png")]


def test_output_path_is_created(farm, tmp_path):
    target = tmp_path / "deep" / "renders"
    jid = farm.submit(["touch {}/a.png".format(target)], output_path=str(target))
    assert farm.wait(jid)["status"] == "success"
    assert (target / "a.png").exists()


def test_downloads_listing_and_signed_file_urls(farm, out_dir):
    tasks = [
        {
            "command": "printf frame$FARMHAND_FRAMES > {}/f_$FARMHAND_FRAMES.txt".format(out_dir),
            "frames": str(frame),
        }
        for frame in range(1, 4)
    ]
    jid = farm.submit(payload=farm.payload(tasks, output_path=str(out_dir)))
    assert farm.wait(jid)["status"] == "success"
    reply = farm.post("/jobs/{}/downloads".format(jid), {"tids": None}, params={"limit": 2})
    assert reply.status_code == 201
    page = reply.json()
    assert [d["task_id"] for d in page["downloads"]] == ["000", "001"]
    assert page["next_cursor"] == "2"
    first = page["downloads"][0]
    assert first["download_id"] == "{}-000".format(jid)
    assert first["output_dir"] == str(out_dir)
    (item,) = first["files"]
    assert item["relative_path"] == "f_1.txt" and item["size"] == 6
    assert item["md5"] == md5_b64(b"frame1")
    fetched = requests.get(item["url"])  # no bearer token: the URL is signed
    assert fetched.status_code == 200 and fetched.content == b"frame1"
    assert requests.get(item["url"].replace("f_1.txt", "f_2.txt")).status_code == 401
    rest = farm.post(
        "/jobs/{}/downloads".format(jid),
        {"tids": None},
        params={"limit": 2, "start_cursor": page["next_cursor"]},
    ).json()
    assert [d["task_id"] for d in rest["downloads"]] == ["002"] and rest["next_cursor"] is None
    only = farm.post("/jobs/{}/downloads".format(jid), {"tids": ["001"]}).json()
    assert [d["task_id"] for d in only["downloads"]] == ["001"]


@pytest.mark.parametrize(
    "name, number",
    [
        ("beauty.0042.exr", 42),
        ("frame_7.png", 7),
        ("shot-0005.exr", 5),
        ("frame.-005.exr", -5),
        ("clip.mp4", None),
        ("render", None),
        ("v2_comp.1001.dpx", 1001),
        ("-3", -3),
    ],
)
def test_frame_number_of_a_file_name(name, number):
    assert frame_number("/out/" + name) == number


def scan_input(root, finished=(), running=(), finishing=(), owners=None, now_ns=None):
    runs = Runs()
    for window in finished:
        runs.add(window)
    return ScanInput(
        root=str(root),
        known={},
        runs=runs,
        count=len(runs.windows),
        running=list(running),
        finishing=set(finishing),
        owners=owners,
        now_ns=now_ns,
    )


def test_scan_by_time_when_names_carry_no_frame(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    mtime = os.stat(tmp_path / "a.txt").st_mtime_ns
    later = mtime + 2 * 10**9
    running = Window(1, mtime - 10**9, None)
    finished = Window(0, mtime - 10**9, mtime + 10**9)
    found, _ = scan(scan_input(tmp_path, [finished], [running], [0], now_ns=later))
    # Without a frame number the task that just finished takes it.
    assert [(f.path, f.index) for f in found] == [(str(tmp_path / "a.txt"), 0)]
    found, settled = scan(scan_input(tmp_path, [], [running], now_ns=later))
    assert found == [] and settled == {}  # only a running task could have written it
    found, settled = scan(scan_input(tmp_path, [], [], now_ns=mtime))
    assert found == [] and str(tmp_path / "a.txt") in settled  # nobody's: settled, unowned


def test_scan_waits_for_the_frames_task_when_the_clock_lags(tmp_path):
    """Back-to-back tasks: the file of frame 3 carries a time inside task 0's run (the coarse
    file clock lagged), but task 2 renders frame 3 and has not run yet: wait for it."""
    (tmp_path / "f_3.txt").write_text("3")
    mtime = os.stat(tmp_path / "f_3.txt").st_mtime_ns
    owners = {1: (0,), 2: (1,), 3: (2,)}
    task0 = Window(0, mtime - 10**6, mtime + 10**6)
    found, settled = scan(scan_input(tmp_path, [task0], [], [0], owners, now_ns=mtime + 10**7))
    assert found == [] and settled == {}
    task2 = Window(2, mtime + 2 * 10**6, mtime + 3 * 10**6)
    found, _ = scan(scan_input(tmp_path, [task0, task2], [], [2], owners, now_ns=mtime + 10**7))
    assert [f.index for f in found] == [2]


def test_scan_falls_back_to_time_when_the_number_is_not_a_frame(tmp_path):
    (tmp_path / "v2_comp.mov").write_text("x")  # '2' is a version, frame 2 was rendered long ago
    mtime = os.stat(tmp_path / "v2_comp.mov").st_mtime_ns
    owners = {2: (0,), 9: (1,)}
    old = Window(0, mtime - 10**10, mtime - 9 * 10**9)
    now = Window(1, mtime - 10**6, mtime + 10**6)
    found, _ = scan(scan_input(tmp_path, [old, now], [], [1], owners, now_ns=mtime + 10**8))
    assert [f.index for f in found] == [1]


def test_frame_owners_map_and_its_limit():
    from farmhand.core.frames import FrameSpec

    owners = frame_owners([FrameSpec.parse("1-2"), None, FrameSpec.parse("2,5")])
    assert owners == {1: (0,), 2: (0, 2), 5: (2,)}
    assert frame_owners([FrameSpec.parse("1-3000000")]) is None


def test_older_downloader_routes(farm, out_dir):
    # The second task waits for the first: a file without a frame number goes by time alone,
    # and with both tasks running at once it was the first to end that took one.txt (the
    # second, at times, under load).
    tasks = [
        {"command": "echo a > {}/one.txt".format(out_dir), "frames": "1"},
        {"command": "true", "frames": "2", "depends_on": [0]},
    ]
    jid = farm.submit(tasks, output_path=str(out_dir))
    assert farm.wait(jid)["status"] == "success"
    reply = farm.get("/downloads/" + jid)
    assert reply.status_code == 201
    (entry,) = reply.json()["downloads"]
    assert entry["task_id"] == "000" and entry["files"][0]["relative_path"] == "one.txt"
    assert farm.get("/downloads/" + jid, tid="001").json()["downloads"] == []
    reply = farm.get("/downloads/next", location="", count=5)
    assert reply.status_code == 201 and reply.json() == {"data": []}
    assert farm.post("/downloads/status", {"download_id": entry["download_id"]}).status_code == 200
