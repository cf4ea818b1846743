"""A throwaway single-node Slurm cluster on 127.0.0.1 for tests and benchmarks.

Why this exists: a Slurm connector is only believable when it is tested against a real
slurmctld and slurmd, and there is no systemd on the development machines or in CI. So the
cluster is started by the test itself, as root (CI) or as an ordinary user (a developer), with
everything it owns in one directory: its own munge key and munged, its own ``slurm.conf`` on
free ports, state and logs. ``stop()`` cancels what is still queued, stops the daemons and
kills anything they left, so no daemon outlives the test.

Only the standard library is used, so ``scripts/slurm/cluster.py`` runs with any Python 3.

    with SlurmCluster(directory, settings=TUNED_SETTINGS) as cluster:
        job_id = cluster.sbatch("--array=1-4", "--wrap", "true")
        records = cluster.wait_for_jobs(job_id, count=4)
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from typing import Callable, Dict, List, Mapping, Optional, Sequence

from slurm_conf import (  # noqa: F401  (re-exported: one import for tests and benchmarks)
    BASE_SETTINGS,
    MANAGED_KEYS,
    PARTITION,
    TUNED_SETTINGS,
    SlurmSettingError,
    check_settings,
    parse_job_records,
    render_conf,
)
from slurm_host import (  # noqa: F401
    CLIENTS,
    DAEMONS,
    SlurmClusterError,
    cluster_processes,
    find_binary,
    free_port,
    kill_all,
    missing_components,
    node_hardware,
    proc_alive,
    proc_cmdline,
    short_hostname,
    tail,
    user_name,
)

STATE_FILE = "cluster.json"


class SlurmCluster:
    """One slurmctld, one slurmd and a private munged, all owned by ``directory``.

    ``settings`` are extra ``slurm.conf`` lines (key -> value) on top of the fixed base, e.g.
    ``TUNED_SETTINGS``. A cluster started by another process is found again from its directory
    with ``SlurmCluster.attach`` (that is how ``scripts/slurm/cluster.py stop DIR`` works).
    """

    def __init__(
        self,
        directory: str,
        settings: Optional[Mapping[str, str]] = None,
        node_name: Optional[str] = None,
    ) -> None:
        self.directory = os.path.abspath(str(directory))
        self.settings = check_settings(settings or {})
        self.node_name = node_name or short_hostname()
        self.conf_path = os.path.join(self.directory, "slurm.conf")
        self.log_dir = os.path.join(self.directory, "log")
        self.job_dir = os.path.join(self.directory, "jobs")
        self.jobcomp_path = os.path.join(self.log_dir, "jobcomp.txt")
        # Unix sockets (munged's, slurmd's per-step ones) live in a short private folder in
        # the system temp dir: a socket path is limited to 107 bytes, and munged insists that
        # every folder above its socket is searchable by all, which pytest's 0700 tmp is not.
        self.run_dir = ""
        self.pids = {}  # type: Dict[str, int]
        self._procs = {}  # type: Dict[str, subprocess.Popen]
        self._jobcomp_offset = 0
        self._jobcomp_records = []  # type: List[Dict[str, str]]

    @property
    def munge_socket(self) -> str:
        return os.path.join(self.run_dir, "munge.socket")

    def log_path(self, daemon: str) -> str:
        return os.path.join(self.log_dir, daemon + ".log")

    @property
    def env(self) -> Dict[str, str]:
        """The environment for Slurm commands aimed at this cluster."""
        env = dict(os.environ)
        env["SLURM_CONF"] = self.conf_path
        return env

    # -- start ----------------------------------------------------------------------------
    def start(self, timeout: float = 60.0) -> "SlurmCluster":
        """Start munged, slurmctld and slurmd; return once the node is idle.

        On any failure everything this call started is stopped again before the error is
        raised, so a failed start leaves no daemon behind. A port taken between choosing it
        and the daemon binding it (another cluster starting at the same moment) gets one more
        try on fresh ports.
        """
        for attempt in (1, 2):
            self._refuse_to_start()
            try:
                self._start_daemons(timeout)
                return self
            except SlurmClusterError as error:
                # Nothing ran on this cluster yet: no need to give a stuck daemon (slurmd
                # retrying to register with a dead slurmctld ignores SIGTERM) a grace time.
                self.stop(timeout=0.5)
                if attempt == 1 and "Address already in use" in str(error):
                    continue
                raise
            except BaseException:
                self.stop(timeout=0.5)
                raise
        raise AssertionError("unreachable")

    def _start_daemons(self, timeout: float) -> None:
        self._prepare()
        deadline = time.monotonic() + timeout
        self._spawn("munged")
        while not os.path.exists(self.munge_socket):
            self._check_alive()
            if time.monotonic() > deadline:
                raise self._failure("munged", "did not create its socket {} in {:.0f} s"
                                    .format(self.munge_socket, timeout))
            time.sleep(0.02)
        self._spawn("slurmctld")
        self._spawn("slurmd")
        self._wait_idle(deadline, timeout)

    def _refuse_to_start(self) -> None:
        """Checks that touch nothing, so a refused start cannot harm a running cluster."""
        missing = missing_components()
        if missing:
            raise SlurmClusterError(
                "cannot start a Slurm cluster: missing programs {} (install the Debian "
                "packages slurmctld slurmd slurm-client munge: scripts/bootstrap.sh "
                "system)".format(", ".join(missing))
            )
        if self.pids:
            raise SlurmClusterError("this cluster is already started ({})".format(
                self.describe_pids()))
        if os.path.exists(os.path.join(self.directory, STATE_FILE)):
            previous = SlurmCluster.attach(self.directory)
            if previous.running_daemons():
                raise SlurmClusterError(
                    "a cluster is already running in {} ({}); stop it first".format(
                        self.directory, previous.describe_pids()
                    )
                )

    def _prepare(self) -> None:
        for sub in ("state", "log", "jobs"):
            os.makedirs(os.path.join(self.directory, sub), exist_ok=True)
        self.run_dir = tempfile.mkdtemp(prefix="fh-slurm-")
        os.chmod(self.run_dir, 0o711)
        os.makedirs(os.path.join(self.run_dir, "spool", self.node_name))
        key_path = os.path.join(self.directory, "munge.key")
        if os.path.exists(key_path):
            os.chmod(key_path, 0o600)
        with open(key_path, "wb") as handle:
            handle.write(os.urandom(1024))
        os.chmod(key_path, 0o400)
        plugstack = os.path.join(self.directory, "plugstack.conf")
        with open(plugstack, "w") as handle:
            handle.write("# empty: no SPANK plugins from /etc/slurm\n")
        paths = {
            "munge_socket": self.munge_socket,
            "state": os.path.join(self.directory, "state"),
            "spool": os.path.join(self.run_dir, "spool"),
            "run": self.run_dir,
            "log": self.log_dir,
            "plugstack": plugstack,
            "jobcomp": self.jobcomp_path,
        }
        ports = {"slurmctld": free_port(), "slurmd": free_port()}
        conf = render_conf(paths, self.node_name, node_hardware(), ports, user_name(),
                           self.settings)
        with open(self.conf_path, "w") as handle:
            handle.write(conf)

    def _command(self, daemon: str) -> List[str]:
        if daemon == "munged":
            return [
                find_binary("munged") or "munged",
                "--foreground",
                "--socket={}".format(self.munge_socket),
                "--key-file={}".format(os.path.join(self.directory, "munge.key")),
                "--pid-file={}".format(os.path.join(self.run_dir, "munged.pid")),
                "--seed-file={}".format(os.path.join(self.run_dir, "munged.seed")),
                "--log-file={}".format(self.log_path("munged")),
            ]
        if daemon == "slurmctld":
            return [find_binary("slurmctld") or "slurmctld", "-D", "-f", self.conf_path]
        return [find_binary("slurmd") or "slurmd", "-D", "-f", self.conf_path,
                "-N", self.node_name]

    def _spawn(self, daemon: str) -> None:
        # In the foreground (-D, --foreground) each daemon stays our child, so its death is
        # seen at once; it leads its own session so whatever it forks can be found at stop().
        with open(os.path.join(self.log_dir, daemon + ".stderr"), "ab") as stderr:
            proc = subprocess.Popen(
                self._command(daemon), stdin=subprocess.DEVNULL, stdout=stderr,
                stderr=subprocess.STDOUT, env=self.env, cwd=self.directory,
                start_new_session=True, close_fds=True,
            )
        self._procs[daemon] = proc
        self.pids[daemon] = proc.pid
        self._save_state()

    def _wait_idle(self, deadline: float, timeout: float) -> None:
        while True:
            out = self._client(["sinfo", "-h", "-n", self.node_name, "-o", "%T"], timeout=10,
                               abort=lambda: len(self.running_daemons()) < len(self.pids))
            self._check_alive()
            state = out.stdout.strip() if out.returncode == 0 else ""
            if state == "idle":
                return
            if time.monotonic() > deadline:
                daemon = "slurmd" if state else "slurmctld"
                raise self._failure(daemon, "did not bring node {} to idle in {:.0f} s (sinfo: "
                                    "{})".format(self.node_name, timeout,
                                                 state or out.stderr.strip() or "no answer"))
            time.sleep(0.05)

    # -- health ---------------------------------------------------------------------------
    def _is_running(self, daemon: str) -> bool:
        """Our own child is judged by ``poll()`` (its pid cannot be recycled before we reap
        it); a daemon that another process started, by its command line."""
        proc = self._procs.get(daemon)
        if proc is not None:
            return proc.poll() is None
        pid = self.pids.get(daemon)
        if pid is None or not proc_alive(pid):
            return False
        marker = self.munge_socket if daemon == "munged" else self.conf_path
        return marker in proc_cmdline(pid)

    def running_daemons(self) -> List[str]:
        return [name for name in self.pids if self._is_running(name)]

    def describe_pids(self) -> str:
        return ", ".join("{} pid {}".format(name, pid) for name, pid in self.pids.items())

    def _failure(self, daemon: str, what: str) -> SlurmClusterError:
        log = tail(self.log_path(daemon)) or tail(os.path.join(self.log_dir, daemon + ".stderr"))
        return SlurmClusterError("{} {} (logs in {}); last lines of its log:\n{}".format(
            daemon, what, self.log_dir, log or "(empty log)"))

    def _check_alive(self) -> None:
        for daemon in list(self.pids):
            if not self._is_running(daemon):
                proc = self._procs.get(daemon)
                code = proc.returncode if proc is not None else None
                raise self._failure(daemon, "exited during start-up (exit status {})".format(
                    "unknown" if code is None else code))

    # -- stop -----------------------------------------------------------------------------
    def stop(self, timeout: float = 5.0) -> List[int]:
        """Cancel queued jobs, stop the daemons, kill what they left; the pids killed last."""
        sessions = set(self.pids.values())
        if "slurmctld" in self.running_daemons():
            self._cancel_all(timeout=min(timeout, 10.0))
        for daemon in ("slurmd", "slurmctld", "munged"):
            if daemon in self.pids and self._is_running(daemon):
                self._terminate(daemon, timeout)
        swept = kill_all(cluster_processes(self.conf_path, sessions)) if sessions else []
        for proc in self._procs.values():
            try:
                proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        self._procs.clear()
        self.pids.clear()
        if self.run_dir and os.path.isdir(self.run_dir):
            shutil.rmtree(self.run_dir, ignore_errors=True)
        self._save_state()
        return swept

    def _cancel_all(self, timeout: float) -> None:
        def ctld_gone() -> bool:
            return not self._is_running("slurmctld")

        self._client(["scancel", "--partition", PARTITION], timeout=timeout, abort=ctld_gone)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not ctld_gone():
            out = self._client(["squeue", "-h", "-o", "%i"], timeout=timeout, abort=ctld_gone)
            if out.returncode != 0 or not out.stdout.strip():
                return
            time.sleep(0.05)

    def _terminate(self, daemon: str, timeout: float) -> None:
        """SIGTERM the daemon's process group (slurmctld's slurmscriptd too), then SIGKILL."""
        pid = self.pids[daemon]
        try:
            os.killpg(pid, signal.SIGTERM)
        except OSError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._is_running(daemon):
                return
            time.sleep(0.02)
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass

    def __enter__(self) -> "SlurmCluster":
        if not self.pids:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- state file, for the command-line tool --------------------------------------------
    def _save_state(self) -> None:
        if not os.path.isdir(self.directory):
            return
        state = {"pids": self.pids, "run_dir": self.run_dir, "node_name": self.node_name,
                 "settings": self.settings}
        path = os.path.join(self.directory, STATE_FILE)
        with open(path + ".tmp", "w") as handle:
            json.dump(state, handle, indent=2, sort_keys=True)
        os.replace(path + ".tmp", path)

    @classmethod
    def attach(cls, directory: str) -> "SlurmCluster":
        """The cluster a previous process started in ``directory`` (from its state file)."""
        path = os.path.join(os.path.abspath(str(directory)), STATE_FILE)
        try:
            with open(path) as handle:
                state = json.load(handle)
        except (OSError, ValueError) as error:
            raise SlurmClusterError(
                "no cluster state in {}: {} (was a cluster started there?)".format(path, error)
            ) from None
        cluster = cls(directory, settings=state.get("settings"),
                      node_name=state.get("node_name"))
        cluster.run_dir = state.get("run_dir", "")
        cluster.pids = {str(name): int(pid) for name, pid in state.get("pids", {}).items()}
        return cluster

    # -- using the cluster ----------------------------------------------------------------
    def _client(
        self,
        args: Sequence[str],
        timeout: float = 30.0,
        abort: Optional[Callable[[], bool]] = None,
    ) -> subprocess.CompletedProcess:
        """Run a Slurm command; give up early when ``abort()`` turns true (a daemon died):
        a client talking to a dead slurmctld would otherwise wait its MessageTimeout out."""
        command = [find_binary(args[0]) or args[0]] + list(args[1:])
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            universal_newlines=True, env=self.env, cwd=self.job_dir,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                out, err = proc.communicate(timeout=0.05)
                return subprocess.CompletedProcess(command, proc.returncode, out, err)
            except subprocess.TimeoutExpired:
                reason = ""
                if abort is not None and abort():
                    reason = "given up: a daemon of the cluster died"
                elif time.monotonic() > deadline:
                    reason = "timed out after {:.0f} s".format(timeout)
                if reason:
                    proc.kill()
                    out, err = proc.communicate()
                    return subprocess.CompletedProcess(command, 124, out, reason)

    def run(self, *args: str, timeout: float = 30.0) -> str:
        """Run a Slurm command against this cluster; its stdout, or an error naming it."""
        out = self._client(args, timeout=timeout)
        if out.returncode != 0:
            raise SlurmClusterError("'{}' failed with exit status {}: {}".format(
                " ".join(args), out.returncode, (out.stderr or out.stdout).strip()))
        return out.stdout

    def sbatch(self, *args: str) -> int:
        """Submit with ``sbatch --parsable``; the job id (the array's id for an array)."""
        out = self.run("sbatch", "--parsable", *args).strip()
        try:
            return int(out.split(";")[0])
        except ValueError:
            raise SlurmClusterError("sbatch printed {!r}, not a job id".format(out)) from None

    def job_records(self) -> List[Dict[str, str]]:
        """Every finished job so far, from the jobcomp log (one record per array task).

        The log outlives MinJobAge, so a fast job is never missed the way ``squeue`` polling
        can miss it, and it carries each job's final state and exit code.
        """
        self._read_new_records()
        return list(self._jobcomp_records)

    def _read_new_records(self) -> List[Dict[str, str]]:
        """Only the lines added since the last call are read: a benchmark polls while 1,000
        tasks finish, and re-parsing the whole log each time would take CPU from the daemons
        it measures."""
        try:
            with open(self.jobcomp_path, "rb") as handle:
                handle.seek(self._jobcomp_offset)
                added = handle.read()
        except OSError:
            return []
        complete = added[: added.rfind(b"\n") + 1]  # a line being written waits for next time
        self._jobcomp_offset += len(complete)
        records = parse_job_records(complete.decode("utf-8", "replace"))
        self._jobcomp_records.extend(records)
        return records

    def wait_for_jobs(
        self, job_id: int, count: int = 1, timeout: float = 60.0, poll: float = 0.02
    ) -> List[Dict[str, str]]:
        """Wait until ``count`` records of job ``job_id`` (or of its array tasks) are logged."""
        wanted = str(job_id)

        def of_job(records: List[Dict[str, str]]) -> List[Dict[str, str]]:
            return [record for record in records
                    if record.get("ArrayJobId", record.get("JobId")) == wanted]

        found = of_job(self.job_records())
        deadline = time.monotonic() + timeout
        while len(found) < count:
            if time.monotonic() > deadline:
                queue = self._client(["squeue", "-h", "-j", wanted, "-o", "%i %T %r"])
                raise SlurmClusterError(
                    "job {}: {} of {} tasks finished after {:.0f} s; squeue: {}; slurmctld "
                    "log:\n{}".format(wanted, len(found), count, timeout,
                                      (queue.stdout or queue.stderr).strip() or "(empty)",
                                      tail(self.log_path("slurmctld"), 10)))
            time.sleep(poll)
            found.extend(of_job(self._read_new_records()))
        return found

    def status(self) -> Dict[str, object]:
        """What a human wants to see: daemons alive, node state, queue length."""
        running = self.running_daemons()
        node_state = ""
        queued = 0
        if "slurmctld" in running:
            out = self._client(["sinfo", "-h", "-n", self.node_name, "-o", "%T"], timeout=10)
            node_state = out.stdout.strip() if out.returncode == 0 else out.stderr.strip()
            queue = self._client(["squeue", "-h", "-o", "%i"], timeout=10)
            queued = len(queue.stdout.split()) if queue.returncode == 0 else 0
        return {
            "directory": self.directory,
            "conf": self.conf_path,
            "daemons": {name: (pid if name in running else None)
                        for name, pid in self.pids.items()},
            "node": self.node_name,
            "node_state": node_state,
            "queued_jobs": queued,
        }
