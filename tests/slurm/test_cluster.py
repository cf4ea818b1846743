"""The throwaway Slurm cluster that connector tests and the overhead benchmark run on.

These start real munged, slurmctld and slurmd daemons (no mocks): if the harness breaks, every
Slurm test after it would fail for the wrong reason, so its own behaviour is pinned here,
including that nothing is left running after a stop or a failed start.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import slurm_cluster as support
import slurm_host

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "scripts", "slurm", "cluster.py")


def cluster_processes(cluster):
    return support.cluster_processes(cluster.conf_path)


def wait_running(cluster, job_id, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = cluster.run("squeue", "-h", "-j", str(job_id), "-o", "%T").strip()
        if state == "RUNNING":
            return
        time.sleep(0.1)
    raise AssertionError("job {} did not start in {} s".format(job_id, timeout))


# -- jobs on the shared, tuned cluster ----------------------------------------------------


def test_node_is_this_machine_with_its_real_hardware(slurm_cluster):
    hardware = support.node_hardware()
    node = slurm_cluster.run("scontrol", "show", "node", support.short_hostname())
    assert "NodeName={} ".format(support.short_hostname()) in node
    assert "NodeAddr=127.0.0.1 " in node
    assert "CPUTot={} ".format(hardware["CPUs"]) in node
    assert "RealMemory={} ".format(hardware["RealMemory"]) in node
    assert "State=IDLE" in node or "State=MIXED" in node or "State=ALLOCATED" in node
    config = slurm_cluster.run("scontrol", "show", "config")
    for line in ("ProctrackType           = proctrack/linuxproc",
                 "TaskPlugin              = task/none",
                 "SelectType              = select/cons_tres"):
        assert line in config


def test_sbatch_wrap_true_completes(slurm_cluster):
    job_id = slurm_cluster.sbatch("-o", "/dev/null", "--wrap", "true")
    (record,) = slurm_cluster.wait_for_jobs(job_id, timeout=30)
    assert record["JobId"] == str(job_id)
    assert record["JobState"] == "COMPLETED"
    assert record["ExitCode"] == "0:0"
    assert record["NodeList"] == support.short_hostname()


def test_small_array_runs_every_task_to_completion(slurm_cluster, tmp_path):
    out = str(tmp_path / "task_%a.txt")
    job_id = slurm_cluster.sbatch(
        "--array=1-5", "-o", out, "--wrap", "echo task $SLURM_ARRAY_TASK_ID of $SLURM_JOB_NAME"
    )
    records = slurm_cluster.wait_for_jobs(job_id, count=5, timeout=30)
    assert sorted(int(r["ArrayTaskId"]) for r in records) == [1, 2, 3, 4, 5]
    assert {r["JobState"] for r in records} == {"COMPLETED"}
    assert {r["ExitCode"] for r in records} == {"0:0"}
    for index in range(1, 6):
        text = (tmp_path / "task_{}.txt".format(index)).read_text()
        assert text == "task {} of wrap\n".format(index)


def test_failing_job_is_recorded_with_its_exit_code(slurm_cluster):
    job_id = slurm_cluster.sbatch("-o", "/dev/null", "--wrap", "exit 3")
    (record,) = slurm_cluster.wait_for_jobs(job_id, timeout=30)
    assert record["JobState"] == "FAILED"
    assert record["ExitCode"] == "3:0"


def test_wait_timeout_names_the_job_and_its_queue_state(slurm_cluster):
    job_id = slurm_cluster.sbatch("-o", "/dev/null", "--wrap", "sleep 60")
    try:
        wait_running(slurm_cluster, job_id)
        with pytest.raises(support.SlurmClusterError) as caught:
            slurm_cluster.wait_for_jobs(job_id, timeout=0.3)
        message = str(caught.value)
        assert message.startswith("job {}: 0 of 1 tasks finished after 0 s; squeue: {} "
                                  "RUNNING".format(job_id, job_id))
        assert "slurmctld log:" in message
    finally:
        slurm_cluster.run("scancel", str(job_id))


def test_client_failure_names_the_command_and_slurm_message(slurm_cluster):
    with pytest.raises(support.SlurmClusterError) as caught:
        slurm_cluster.sbatch("--partition", "nosuchpartition", "--wrap", "true")
    message = str(caught.value)
    assert message.startswith("'sbatch --parsable --partition nosuchpartition --wrap true' "
                              "failed with exit status 1: ")
    assert "invalid partition specified: nosuchpartition" in message.lower()


# -- life cycle of a private cluster ------------------------------------------------------


def test_stop_cancels_running_jobs_and_leaves_no_process(slurm_support, tmp_path):
    cluster = support.SlurmCluster(str(tmp_path / "cluster"))
    with cluster:
        status = cluster.status()
        assert status["node_state"] == "idle"
        assert sorted(status["daemons"]) == ["munged", "slurmctld", "slurmd"]
        assert all(status["daemons"].values())
        job_id = cluster.sbatch("-o", "/dev/null", "--wrap", "sleep 300")
        wait_running(cluster, job_id)
        assert len(cluster_processes(cluster)) >= 5  # 3 daemons, slurmstepd, sh, sleep
        pids = dict(cluster.pids)
        run_dir = cluster.run_dir
    assert cluster_processes(cluster) == []
    for daemon, pid in pids.items():
        assert not support.proc_alive(pid), daemon
    assert not os.path.exists(run_dir)
    assert cluster.running_daemons() == []


def test_stop_sweeps_jobs_when_slurmctld_is_already_gone(slurm_support, tmp_path):
    cluster = support.SlurmCluster(str(tmp_path / "cluster"))
    with cluster:
        job_id = cluster.sbatch("-o", "/dev/null", "--wrap", "sleep 300")
        wait_running(cluster, job_id)
        os.kill(cluster.pids["slurmctld"], 9)  # nobody left to cancel the job
    assert cluster_processes(cluster) == []


def test_daemon_failing_at_start_is_named_with_its_log_tail(slurm_support, tmp_path):
    cluster = support.SlurmCluster(
        str(tmp_path / "cluster"), settings={"SchedulerType": "sched/nosuchplugin"}
    )
    with pytest.raises(support.SlurmClusterError) as caught:
        cluster.start(timeout=30)
    message = str(caught.value)
    assert message.startswith("slurmctld exited during start-up (exit status 1) (logs in {}); "
                              "last lines of its log:\n".format(cluster.log_dir))
    assert "sched/nosuchplugin" in message
    assert cluster.running_daemons() == []
    assert cluster_processes(cluster) == []


def test_port_taken_meanwhile_gets_a_second_try(slurm_support, tmp_path, monkeypatch):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    taken = busy.getsockname()[1]
    real_free_port = support.free_port
    handed = []

    def racing_free_port():
        port = taken if not handed else real_free_port()
        handed.append(port)
        return port

    monkeypatch.setattr(support, "free_port", racing_free_port)
    cluster = support.SlurmCluster(str(tmp_path / "cluster"))
    try:
        with cluster:
            conf = Path(cluster.conf_path).read_text()
            assert "SlurmctldPort={}\n".format(taken) not in conf
            assert cluster.status()["node_state"] == "idle"
    finally:
        busy.close()
    assert handed[0] == taken and len(handed) == 4
    log = Path(cluster.log_dir, "slurmctld.log").read_text()
    assert "Address already in use" in log
    assert cluster_processes(cluster) == []


def test_second_start_in_a_running_directory_is_refused(slurm_cluster):
    again = support.SlurmCluster(slurm_cluster.directory)
    with pytest.raises(support.SlurmClusterError) as caught:
        again.start()
    assert str(caught.value).startswith(
        "a cluster is already running in {} (munged pid ".format(slurm_cluster.directory)
    )
    assert slurm_cluster.status()["node_state"] == "idle"


def test_missing_programs_are_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(slurm_host, "_SBIN", ())
    assert support.missing_components() == list(support.DAEMONS + support.CLIENTS)
    with pytest.raises(support.SlurmClusterError) as caught:
        support.SlurmCluster(str(tmp_path / "c")).start()
    assert str(caught.value) == (
        "cannot start a Slurm cluster: missing programs munged, slurmctld, slurmd, munge, "
        "sbatch, squeue, sinfo, scancel, scontrol (install the Debian packages slurmctld "
        "slurmd slurm-client munge: scripts/bootstrap.sh system)"
    )


# -- settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"Sched Type": "x"},
         "invalid slurm.conf key 'Sched Type': expected letters and digits such as "
         "'SchedulerParameters'"),
        ({"SlurmctldPort": "6817"},
         "slurm.conf key 'SlurmctldPort' is set by the cluster harness and cannot be "
         "overridden; managed keys: " + ", ".join(support.MANAGED_KEYS)),
        ({"Epilog": "/bin/true\nSlurmUser=nobody"},
         "invalid value '/bin/true\\nSlurmUser=nobody' for slurm.conf key 'Epilog': must be "
         "one line without '#'"),
        ({"MinJobAge": "2 # short"},
         "invalid value '2 # short' for slurm.conf key 'MinJobAge': must be one line "
         "without '#'"),
    ],
)
def test_bad_settings_are_refused_before_anything_starts(tmp_path, settings, message):
    with pytest.raises(support.SlurmSettingError) as caught:
        support.SlurmCluster(str(tmp_path / "cluster"), settings=settings)
    assert str(caught.value) == message
    assert not (tmp_path / "cluster").exists()


def test_settings_land_in_slurm_conf_after_the_base():
    paths = {"munge_socket": "/r/munge.socket", "state": "/d/state", "spool": "/r/spool",
             "run": "/r", "log": "/d/log", "plugstack": "/d/plugstack.conf",
             "jobcomp": "/d/log/jobcomp.txt"}
    hardware = {"CPUs": "2", "Boards": "1", "SocketsPerBoard": "1", "CoresPerSocket": "2",
                "ThreadsPerCore": "1", "RealMemory": "1000"}
    conf = support.render_conf(paths, "n1", hardware, {"slurmctld": 7001, "slurmd": 7002},
                               "alice", dict(support.TUNED_SETTINGS, TaskPlugin="task/x"))
    lines = conf.splitlines()
    for line in ("SlurmctldHost=localhost(127.0.0.1)", "SlurmctldPort=7001", "SlurmdPort=7002",
                 "SlurmUser=alice", "SlurmdUser=alice",
                 "AuthInfo=socket=/r/munge.socket,cred_expire=5",
                 "SlurmdSpoolDir=/r/spool", "StateSaveLocation=/d/state",
                 "SlurmctldLogFile=/d/log/slurmctld.log", "JobCompLoc=/d/log/jobcomp.txt",
                 "ProctrackType=proctrack/linuxproc", "SelectType=select/cons_tres",
                 "SchedulerParameters=batch_sched_delay=0", "Epilog=/bin/true"):
        assert line in lines
    # a caller's setting replaces the base one instead of adding a second line
    assert [line for line in lines if line.startswith("TaskPlugin=")] == ["TaskPlugin=task/x"]
    assert lines[-2] == ("NodeName=n1 NodeAddr=127.0.0.1 NodeHostname=n1 CPUs=2 Boards=1 "
                         "SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=1000 "
                         "State=UNKNOWN")
    assert lines[-1] == "PartitionName=main Nodes=n1 Default=YES MaxTime=INFINITE State=UP"


def test_job_records_parse_the_jobcomp_lines():
    text = ("JobId=5 UserId=root(0) Name=wrap JobState=COMPLETED ReservationName= "
            "ArrayJobId=2 ArrayTaskId=3 ExitCode=0:0 \n\n")
    assert support.parse_job_records(text) == [{
        "JobId": "5", "UserId": "root(0)", "Name": "wrap", "JobState": "COMPLETED",
        "ReservationName": "", "ArrayJobId": "2", "ArrayTaskId": "3", "ExitCode": "0:0",
    }]


def test_job_records_wait_for_a_line_being_written(tmp_path):
    cluster = support.SlurmCluster(str(tmp_path))
    log = tmp_path / "log"
    log.mkdir()
    assert cluster.job_records() == []
    with open(cluster.jobcomp_path, "w") as handle:
        handle.write("JobId=1 JobState=COMPLETED ExitCode=0:0\nJobId=2 JobSt")
    assert cluster.job_records() == [
        {"JobId": "1", "JobState": "COMPLETED", "ExitCode": "0:0"}]
    with open(cluster.jobcomp_path, "a") as handle:
        handle.write("ate=FAILED ExitCode=1:0\n")
    assert [r["JobState"] for r in cluster.job_records()] == ["COMPLETED", "FAILED"]
    assert cluster.wait_for_jobs(2, timeout=0) == [
        {"JobId": "2", "JobState": "FAILED", "ExitCode": "1:0"}]


# -- the command-line tool ----------------------------------------------------------------


def run_cli(*args):
    return subprocess.run([sys.executable, CLI] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=80)


def test_cli_start_status_stop(slurm_support, tmp_path):
    directory = str(tmp_path / "cli")
    started = run_cli("start", directory, "--tuned")
    try:
        assert started.returncode == 0, started.stderr
        assert "export SLURM_CONF={}/slurm.conf".format(directory) in started.stdout
        status = run_cli("status", directory)
        assert status.returncode == 0, status.stderr
        assert "node {}: idle".format(support.short_hostname()) in status.stdout
        assert "slurmctld: running (pid " in status.stdout
    finally:
        stopped = run_cli("stop", directory)
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped" in stopped.stdout
    cluster = support.SlurmCluster.attach(directory)
    assert cluster_processes(cluster) == []
    after = run_cli("status", directory)
    assert after.returncode == 3
    assert "not running" in after.stdout


def test_cli_errors_name_the_problem(tmp_path):
    missing = run_cli("stop", str(tmp_path / "nothing"))
    assert missing.returncode == 1
    assert missing.stderr.startswith(
        "cluster.py: error: no cluster state in {}: ".format(
            tmp_path / "nothing" / "cluster.json")
    )
    no_value = run_cli("start", str(tmp_path / "c"), "--set", "MinJobAge")
    assert no_value.returncode == 1
    assert no_value.stderr == ("cluster.py: error: --set 'MinJobAge': expected KEY=VALUE, "
                               "e.g. --set MinJobAge=30\n")
    managed = run_cli("start", str(tmp_path / "c"), "--set", "SlurmdPort=1")
    assert managed.returncode == 1
    assert managed.stderr.startswith("cluster.py: error: slurm.conf key 'SlurmdPort' is set by "
                                     "the cluster harness and cannot be overridden")
    assert not (tmp_path / "c").exists()
    bad = run_cli("restart", str(tmp_path))
    assert bad.returncode == 2
    assert "invalid choice: 'restart' (choose from 'start', 'stop', 'status')" in bad.stderr
