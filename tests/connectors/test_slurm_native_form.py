"""The Slurm connector's native form and site settings, without a cluster: the arrays and
sbatch lines a job becomes, and every bad site setting named with its file and key."""

import json
import os

import pytest

from farmhand.core.connectors.slurm import native_form
from farmhand.core.connectors.slurm.connector import SlurmConnector, task_number
from farmhand.core.connectors.slurm.settings import SlurmSettings, partition_types
from farmhand.core.errors import InputError


def payload(count=4, **changes):
    data = {
        "job_title": "shot 010",
        "priority": 5,
        "scout_frames": "",
        "environment": {"SHOT": "010"},
        "tasks_data": [{"command": "render {}".format(n), "frames": str(n)}
                       for n in range(1, count + 1)],
        "autoretry_policy": {"failed": {"max_retries": 2}, "preempted": {"max_retries": 1}},
    }
    data.update(changes)
    return data


def site(tmp_path, data):
    path = tmp_path / "slurm.json"
    path.write_text(json.dumps(data))
    return {"FARMHAND_SLURM_CONFIG": str(path), "FARMHAND_HOME": str(tmp_path / "home")}


GPU_SITE = {
    "instance_types": [{"name": "gpu-4", "partition": "gpu", "account": "fx", "qos": "high",
                        "gres": "gpu:1", "cores": 4, "memory": 8}],
    "sbatch_options": ["--time=2:00:00"],
    "projects": ["shows"],
}


def read(*parts):
    with open(os.path.join(*parts)) as handle:
        return handle.read()


def test_array_specs_and_nice():
    assert native_form.array_spec([1, 2, 3, 7, 9, 10], 2) == "1-3,7,9-10%2"
    assert native_form.array_spec([4]) == "4"
    assert native_form.nice_of({"priority": 3}) == 200
    assert native_form.nice_of({"priority": 800}) == 0
    with pytest.raises(InputError) as caught:
        native_form.nice_of({"priority": -1})
    assert str(caught.value) == "priority: expected a whole number of at least 0, got -1"
    with pytest.raises(InputError) as caught:
        native_form.throttle_of({"max_instances": "2"})
    assert str(caught.value) == "max_instances: expected a whole number of at least 0, got '2'"


def test_the_exported_folder_holds_every_script_and_the_sbatch_lines(tmp_path):
    connector = SlurmConnector.from_environment(site(tmp_path, GPU_SITE))
    folder = str(tmp_path / "native")
    job = payload(scout_frames="1", max_instances=3, priority=4, instance_type="gpu-4")
    job["tasks_data"][2]["environment"] = {"ONLY": "three"}
    written = connector.export(job, folder)
    names = sorted(os.path.relpath(p, folder) for p in written)
    assert names == sorted(
        ["job.json", "run_task.sh", "submit.sh", "logs/README", "results/README"]
        + ["tasks/{}.sh".format(n) for n in range(1, 5)]
    )
    submit = read(folder, "submit.sh").splitlines()
    scout = [line for line in submit if line.startswith("array_0=")][0]
    render = [line for line in submit if line.startswith("array_1=")][0]
    for option in ("--partition=gpu", "--account=fx", "--qos=high", "--gres=gpu:1",
                   "--cpus-per-task=4", "--mem=8192M", "--nice=100", "--time=2:00:00",
                   "--export=NONE", "--requeue", "--open-mode=append"):
        assert option in scout and option in render
    assert "--array=1%3" in scout and "--hold" not in scout
    assert "--array=2-4%3" in render
    assert "--dependency=afterok:${array_0} --hold" in render
    assert "--output={}/logs/%a.log".format(folder) in render
    task3 = read(folder, "tasks", "3.sh")
    assert "export ONLY=three" in task3 and "export SHOT=010" in task3
    assert task3.rstrip().endswith("render 3")
    run = read(folder, "run_task.sh")
    assert '/bin/sh "$folder/tasks/$number.sh"' in run
    assert 'if [ "$status" -ne 0 ] && [ "$restarts" -lt 2 ]; then' in run
    assert os.access(os.path.join(folder, "run_task.sh"), os.X_OK)
    with pytest.raises(InputError) as caught:
        connector.export(job, folder)
    assert str(caught.value) == "folder: {} already holds files; choose a new or empty " \
        "folder".format(folder)


def test_a_site_choosing_its_own_export_replaces_export_none(tmp_path):
    connector = SlurmConnector.from_environment(
        site(tmp_path, dict(GPU_SITE, sbatch_options=["--export=ALL"])))
    folder = str(tmp_path / "native")
    connector.export(payload(instance_type="gpu-4"), folder)
    (line,) = [x for x in read(folder, "submit.sh").splitlines() if x.startswith("array_0=")]
    assert "--export=ALL" in line and "--export=NONE" not in line


def test_scouts_released_on_success_and_dependencies_as_stages():
    staged = native_form.stage_job(payload(scout_frames="2", release_on_scout_success=True))
    arrays = native_form.plan_arrays(
        payload(scout_frames="2", release_on_scout_success=True), staged, None, ()
    )
    assert [(a.name, a.numbers, a.after, a.hold) for a in arrays] == [
        ("scout", [2], [], False), ("render", [1, 3, 4], [0], False)
    ]
    chained = payload(3)
    chained["tasks_data"][1]["depends_on"] = [0]
    chained["tasks_data"][2]["depends_on"] = [1]
    arrays = native_form.plan_arrays(chained, native_form.stage_job(chained), None, ())
    assert [(a.numbers, a.after, a.hold) for a in arrays] == [
        ([1], [], False), ([2], [0], False), ([3], [1], False)
    ]


def test_an_unknown_instance_type_lists_the_sites():
    connector = SlurmConnector(SlurmSettings("/tmp/jobs", instance_types=[
        partition_types([("main", 2, 4.0, "(null)")])[0]
    ]))
    with pytest.raises(InputError) as caught:
        connector.export(payload(instance_type="huge"), "/tmp/never-written")
    assert str(caught.value) == (
        "instance_type: unknown instance type 'huge' on this Slurm cluster; valid instance "
        "types: main-1cpu"
    )


def test_partitions_become_instance_types_per_core_count():
    types = partition_types([("main", 4, 8.0, "(null)"), ("gpu", 2, 4.0, "gpu:2")])
    assert [(t.name, t.cores, t.memory) for t in types] == [
        ("main-1cpu", 1, 2.0), ("main-2cpu", 2, 4.0), ("main-4cpu", 4, 8.0),
        ("gpu-1cpu", 1, 2.0), ("gpu-2cpu", 2, 4.0), ("gpu-gpu-2", 2, 4.0),
    ]
    assert types[-1].sbatch_options() == ["--partition=gpu", "--gres=gpu:2", "--cpus-per-task=2"]


def test_the_catalogue_has_the_sites_types_and_projects(tmp_path):
    catalogue = SlurmConnector.from_environment(site(tmp_path, GPU_SITE)).catalogue()
    assert catalogue.projects == ("shows",)
    assert [(t.name, t.cores, t.memory) for t in catalogue.instance_types] == [("gpu-4", 4, 8.0)]


def test_the_jobs_folder_comes_from_the_environment(tmp_path):
    env = {"FARMHAND_HOME": str(tmp_path), "FARMHAND_SLURM_JOBS": str(tmp_path / "shared")}
    assert SlurmSettings.from_environment(env).jobs_folder == str(tmp_path / "shared")
    env = {"FARMHAND_HOME": str(tmp_path)}
    assert SlurmSettings.from_environment(env).jobs_folder == str(tmp_path / "slurm" / "jobs")


@pytest.mark.parametrize(
    "data,message",
    [
        ({"queues": []}, "{path}: unknown key 'queues'; valid keys: instance_types, projects, "
         "packages, sbatch_options, jobs_folder"),
        ({"instance_types": {}}, "{path}: instance_types must be a list"),
        ({"sbatch_options": ["time=1"]}, "{path}: sbatch_options[0] must be an sbatch option "
         "such as '--time=2:00:00', got 'time=1'"),
        ({"instance_types": [{"name": "a", "cpus": 2}]}, "{path}: instance_types[0]: unknown "
         "key 'cpus'; valid keys: name, partition, account, gres, qos, cores, memory, "
         "description"),
        ({"instance_types": [{"partition": "p"}]}, "{path}: instance_types[0]: 'name' must be "
         "a non-empty string"),
        ({"instance_types": [{"name": "a", "partition": "p q"}]}, "{path}: instance_types[0]: "
         "'partition' must be a string without spaces, got 'p q'"),
        ({"instance_types": [{"name": "a", "cores": -1}]}, "{path}: instance_types[0]: 'cores' "
         "must be a number of at least 0, got -1"),
        ([1], "the Slurm site file {path} must hold a JSON object with instance_types, "
         "projects, packages, sbatch_options, jobs_folder"),
    ],
)
def test_bad_site_files_name_the_file_and_the_key(tmp_path, data, message):
    env = site(tmp_path, data)
    with pytest.raises(InputError) as caught:
        SlurmSettings.from_environment(env)
    path = env["FARMHAND_SLURM_CONFIG"]
    assert str(caught.value) == "FARMHAND_SLURM_CONFIG: " + message.format(path=path)


def test_unreadable_site_files(tmp_path):
    missing = str(tmp_path / "nope.json")
    with pytest.raises(InputError) as caught:
        SlurmSettings.from_environment({"FARMHAND_SLURM_CONFIG": missing})
    assert str(caught.value) == "FARMHAND_SLURM_CONFIG: cannot read the Slurm site file " \
        "{}: No such file or directory".format(missing)
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(InputError) as caught:
        SlurmSettings.from_environment({"FARMHAND_SLURM_CONFIG": str(bad)})
    assert str(caught.value).startswith(
        "FARMHAND_SLURM_CONFIG: the Slurm site file {} is not valid JSON".format(bad)
    )


def test_unknown_jobs_and_tasks_are_named(tmp_path):
    connector = SlurmConnector(SlurmSettings(str(tmp_path)))
    with pytest.raises(InputError) as caught:
        connector.status("42")
    assert str(caught.value) == (
        "job: no Slurm job '42' in {} (Farmhand's Slurm job ids are the Slurm id of the job's "
        "first array)".format(tmp_path)
    )
    with pytest.raises(InputError) as caught:
        task_number("7", {"tasks": [{}, {}]})
    assert str(caught.value) == "task: task id '7' is not a task of this job (tasks 000 to 001)"


def test_slurm_programs_missing_from_path_are_named(tmp_path):
    connector = SlurmConnector(SlurmSettings(str(tmp_path), environ={"PATH": str(tmp_path)}))
    from farmhand.core.errors import UnsupportedError

    with pytest.raises(UnsupportedError) as caught:
        connector.catalogue()
    assert str(caught.value) == (
        "the slurm farm needs Slurm's `sinfo` on PATH (Debian: apt-get install slurm-client), "
        "with SLURM_CONF naming the cluster's slurm.conf"
    )


def test_final_states_from_sacct_when_the_cluster_keeps_accounting(tmp_path):
    """The test cluster runs no slurmdbd (status there comes from the jobcomp log, tested on
    the cluster); this is sacct's own -n -P -X output, from a stand-in program on PATH."""
    from farmhand.core.connectors.slurm import status
    from farmhand.core.connectors.slurm.commands import SlurmCommands

    sacct = tmp_path / "sacct"
    sacct.write_text(
        "#!/bin/sh\n"
        "[ \"$*\" = '-n -P -X -j 12,15 -o JobID,State' ] || { echo \"$*\" >&2; exit 3; }\n"
        "printf '12_1|COMPLETED\\n12_2|CANCELLED by 0\\n12_[3-4]|PENDING\\n15_1|NODE_FAIL\\n'\n"
    )
    sacct.chmod(0o755)
    commands = SlurmCommands({"PATH": str(tmp_path)})
    final = status.accounting_states(commands, ["12", "15"])
    assert final == {("12", 1): "COMPLETED", ("12", 2): "CANCELLED", ("15", 1): "NODE_FAIL"}
    ids = ["12", "15"]
    assert status.task_state(1, None, [], final, ids, False) == ("failed", None)  # 15_1 last
    assert status.task_state(2, None, [], final, ids, False) == ("killed", None)
    assert status.task_state(3, None, [], final, ids, False) == ("failed", None)  # no record
    assert status.task_state(3, None, [], final, ids, True) == ("killed", None)  # we cancelled
