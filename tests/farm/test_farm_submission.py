"""Farmhand's own payload (``Submission.to_payload()``) runs on the local farm as is."""

import json

from farmhand.core.catalogue import Catalogue, InstanceType, SoftwarePackage
from farmhand.core.job import JobSettings, build_submission


def farm_catalogue(farm):
    return Catalogue(
        projects=tuple(p["name"] for p in farm.get("/api/v1/projects/").json()["data"]),
        instance_types=tuple(
            InstanceType.from_dict(i) for i in farm.get("/api/v1/instance-types").json()["data"]
        ),
        packages=tuple(
            SoftwarePackage.from_dict(p) for p in farm.get("/api/v1/ee/packages").json()["data"]
        ),
    )


def test_submission_payload_runs_with_scouts_held_then_released(farm, out_dir):
    catalogue = farm_catalogue(farm)
    settings = JobSettings(
        job_title="farmhand payload",
        instance_type=catalogue.instance_types[0].name,
        frames="1-6",
        chunk_size=2,
        scout_frames="3",
        task_template="echo <chunkstart>-<chunkend> > {}/chunk_<chunkstart>.txt".format(out_dir),
        output_path=str(out_dir),
        retries=1,
    )
    submission = build_submission(settings, catalogue=catalogue)
    assert submission.ok, submission.report
    payload = submission.to_payload()
    reply = farm.post("/jobs/", payload)
    assert reply.status_code == 201, reply.text
    jid = reply.json()["jobid"]
    farm.wait(jid, until=("holding",))
    tasks = farm.tasks(jid)
    assert [t["frames"] for t in tasks] == ["1-2", "3-4", "5-6"]
    assert [t["status"] for t in tasks] == ["held", "success", "held"]
    farm.post("/api/v1/jobs/{}/release".format(jid))
    assert farm.wait(jid)["status"] == "success"
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "chunk_1.txt",
        "chunk_3.txt",
        "chunk_5.txt",
    ]
    assert (out_dir / "chunk_5.txt").read_text() == "5-6\n"
    job = farm.job(jid)
    assert job["title"] == "farmhand payload"
    assert job["autoretry_policy"]["failed"] == payload["autoretry_policy"]["failed"]


def test_submission_payload_json_text_is_accepted_byte_for_byte(farm):
    catalogue = farm_catalogue(farm)
    settings = JobSettings(
        instance_type=catalogue.instance_types[0].name,
        frames="1-2",
        task_template="true",
    )
    text = build_submission(settings, catalogue=catalogue).payload_json()
    reply = farm.session.post(farm.url + "/jobs/", data=text.encode("ascii"), timeout=30)
    assert reply.status_code == 201, reply.text
    assert farm.wait(reply.json()["jobid"])["status"] == "success"
    assert json.loads(text)["tasks_data"][0]["command"] == "true"
