"""Runs task commands as subprocesses without a per-task Python process or polling.

Each command is spawned directly with ``posix_spawn`` in its own process group, with the
task's log file as stdout and stderr and ``/dev/null`` as stdin; every other descriptor the
farm holds is close-on-exec. Its exit is noticed through a pidfd registered with the event
loop, so waiting costs nothing and a finished task frees its slot at once. When a command
ends, its whole process group is killed before the zombie is reaped, so nothing the task
started in the background outlives it and the group id cannot be reused in between.

A task runs in its job's folder, but ``posix_spawn`` has no working-directory action before
Python 3.14, and changing the whole farm's directory before each spawn is not safe in a
process whose threads (uploads, scans) open files. So ``/bin/sh`` changes directory itself:
a shell string runs as ``/bin/sh -c 'cd -P -- "$1" || exit 1; ...; <command>' /bin/sh
<folder>``, the ``cd`` on the command's first line (errors keep their line numbers and the
``/bin/sh: 1:`` prefix, ``$0`` and ``$#`` are as with a bare ``sh -c``), at no extra cost; an
argv goes through ``/bin/sh -c 'cd ...; exec "$@"'``, one extra exec of ``sh`` (the program is
looked up first, so a missing one is still reported by the farm).
"""

import asyncio
import errno
import os
import shutil
import signal
import time
from typing import Callable, Dict, List, Optional, Sequence

from farmhand.farm.model import Command

KILL_GRACE = 5.0
# Python ignores SIGPIPE (and SIGXFSZ); a task gets the default handlers, as in a shell.
DEFAULT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGPIPE", "SIGXFSZ", "SIGXFZ") if hasattr(signal, name)
)


def exit_code(status: int) -> int:
    """The exit code, or minus the signal number (what ``os.waitstatus_to_exitcode`` gives)."""
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


# The folder is $1; the positional parameters are cleared so the command sees none. PWD is
# exported by the shell (as by any shell), OLDPWD is not left over from the ``cd``.
SHELL_PREFIX = 'cd -P -- "$1" || exit 1; unset OLDPWD; set --; '
# An argv is exec'd by the shell after the ``cd``: argv[0] stays as given, found in the
# task's PATH; the environment is the task's own (no PWD, as without a shell).
ARGV_SCRIPT = 'cd -P -- "$1" || exit 1; unset OLDPWD PWD; shift; exec "$@"'


def _check_program(program: str, search_path: str, cwd: str) -> None:
    """Raise the ``OSError`` a direct exec of an argv's program would raise, so a missing or
    non-executable program is reported by the farm, not by the shell that runs it."""
    if "/" in program:
        path = os.path.join(cwd, program)
    else:
        path = shutil.which(program, path=search_path) or ""
        if not path:
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), program)
    if not os.path.exists(path):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), program)
    if os.path.isdir(path) or not os.access(path, os.X_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), program)


def spawn_args(command: Command, cwd: str, search_path: str) -> List[str]:
    """The ``/bin/sh`` argv that runs ``command`` in ``cwd`` (see the module docstring)."""
    if command.argv is not None:
        _check_program(command.argv[0], search_path, cwd)
        return ["/bin/sh", "-c", ARGV_SCRIPT, "/bin/sh", cwd] + list(command.argv)
    return ["/bin/sh", "-c", SHELL_PREFIX + (command.shell or ""), "/bin/sh", cwd]


class Run:
    """One attempt of one task: its commands, where it logs, and how it is going."""

    __slots__ = (
        "key",
        "commands",
        "env",
        "cwd",
        "log_path",
        "header",
        "fd",
        "pid",
        "pidfd",
        "index",
        "started_at",
        "killed",
        "preempted",
        "exit_code",
        "on_done",
        "kill_timer",
        "context",
    )

    def __init__(
        self,
        key: object,
        commands: Sequence[Command],
        env: Dict[str, str],
        cwd: str,
        log_path: str,
        header: str,
        on_done: Callable[["Run"], None],
        context: object = None,
    ) -> None:
        self.key = key
        self.commands = commands
        self.env = env
        self.cwd = cwd
        self.log_path = log_path
        self.header = header
        self.on_done = on_done
        self.context = context
        self.fd = -1
        self.pid = 0
        self.pidfd = -1
        self.index = 0
        self.started_at = 0.0
        self.killed = False
        self.preempted = False
        self.exit_code: Optional[int] = None
        self.kill_timer: Optional[asyncio.TimerHandle] = None


class Executor:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.devnull = os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)
        self.runs: Dict[int, Run] = {}  # by pid of the running command

    def close(self) -> None:
        if self.devnull >= 0:
            os.close(self.devnull)
            self.devnull = -1

    # -- starting ---------------------------------------------------------------------------

    def start(self, run: Run) -> None:
        """Open the log and spawn the first command; ``run.pid`` is set when this returns.
        ``run.started_at`` is kept when the caller set it (the time it recorded)."""
        if not run.started_at:
            run.started_at = time.time()
        run.fd = os.open(run.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
        self._spawn(run)

    def _write(self, run: Run, text: str) -> None:
        try:
            os.write(run.fd, text.encode("utf-8", "replace"))
        except OSError:
            pass  # a full disk must not stop the farm; the exit code is still recorded

    def _spawn(self, run: Run) -> None:
        command = run.commands[run.index]
        self._write(run, "{}: {}\n".format(run.header, command.text))
        try:
            args = spawn_args(command, run.cwd, run.env.get("PATH", ""))
            run.pid = os.posix_spawn(
                "/bin/sh",
                args,
                run.env,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, self.devnull, 0),
                    (os.POSIX_SPAWN_DUP2, run.fd, 1),
                    (os.POSIX_SPAWN_DUP2, run.fd, 2),
                ],
                setpgroup=0,  # its own process group (pgid == pid): kill takes the tree
                setsigmask=(),
                setsigdef=DEFAULT_SIGNALS,
            )
        except OSError as error:
            # A program that cannot be started: report it like a shell would.
            code = 127 if error.errno in (errno.ENOENT, errno.ENOTDIR) else 126
            program = command.argv[0] if command.argv is not None else "/bin/sh"
            self._write(run, "[farmhand] cannot run {!r}: {}\n".format(program, error.strerror))
            run.pid = 0
            self.loop.call_soon(self._command_done, run, code)
            return
        self.runs[run.pid] = run
        try:
            run.pidfd = os.pidfd_open(run.pid)
        except (OSError, AttributeError):  # Linux < 5.3, Python < 3.9
            run.pidfd = -1
            self.loop.call_soon(self._wait_blocking_fallback, run)
            return
        self.loop.add_reader(run.pidfd, self._on_exit, run)

    def _wait_blocking_fallback(self, run: Run) -> None:
        """Kernels without pidfd: wait in a thread (slower, still no polling)."""
        pid = run.pid

        def wait() -> int:
            _, status = os.waitpid(pid, 0)
            return status

        future = self.loop.run_in_executor(None, wait)
        future.add_done_callback(lambda f: self._reaped(run, f.result()))

    # -- finishing --------------------------------------------------------------------------

    def _on_exit(self, run: Run) -> None:
        pid = run.pid
        # Kill what the command left in its process group while the leader is still a zombie
        # (unreaped), so the group id cannot have been reused by an unrelated process.
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            waited, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            waited, status = pid, 0
        if waited == 0:
            return  # spurious wake-up
        self.loop.remove_reader(run.pidfd)
        os.close(run.pidfd)
        run.pidfd = -1
        self._reaped(run, status)

    def _reaped(self, run: Run, status: int) -> None:
        self.runs.pop(run.pid, None)
        self._command_done(run, exit_code(status))

    def _command_done(self, run: Run, code: int) -> None:
        self._write(run, "[farmhand] exit code {}\n".format(code))
        run.index += 1
        if code == 0 and not run.killed and run.index < len(run.commands):
            self._spawn(run)
            return
        run.exit_code = code
        if run.kill_timer is not None:
            run.kill_timer.cancel()
            run.kill_timer = None
        os.close(run.fd)
        run.fd = -1
        run.on_done(run)

    # -- killing ----------------------------------------------------------------------------

    def kill(self, run: Run, grace: float = KILL_GRACE, preempt: bool = False) -> None:
        """SIGTERM the run's process group, SIGKILL it after ``grace`` seconds."""
        if run.fd < 0 or run.killed:
            return
        run.killed = True
        run.preempted = preempt
        if run.pid:
            try:
                os.killpg(run.pid, signal.SIGTERM)
            except OSError:
                pass
            run.kill_timer = self.loop.call_later(grace, self._force_kill, run)

    def _force_kill(self, run: Run) -> None:
        run.kill_timer = None
        if run.pid and run.pid in self.runs:
            try:
                os.killpg(run.pid, signal.SIGKILL)
            except OSError:
                pass

    def running(self) -> List[Run]:
        return list(self.runs.values())
