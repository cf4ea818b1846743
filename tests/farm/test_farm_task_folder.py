"""Tasks run in their job's folder while the farm process itself never changes directory.

``posix_spawn`` has no working-directory action before Python 3.14, so ``/bin/sh`` changes
into the folder itself (``farm/executor.py``). These tests pin that a task sees exactly what
a bare ``/bin/sh -c`` (or a direct exec of an argv) would show it, in its folder, and that
the farm's own working directory stays where it was started.
"""

import os

import pytest

from farmhand.farm.executor import spawn_args
from farmhand.farm.model import Command

pytestmark = pytest.mark.timeout(120)


def farm_cwd(farm):
    return os.readlink("/proc/{}/cwd".format(farm.pid))


def test_the_farm_stays_in_its_folder_while_tasks_run_in_their_jobs(farm, tmp_path):
    before = farm_cwd(farm)
    jids = [farm.submit(["pwd > {}".format(tmp_path / "cwd{}".format(n))]) for n in range(3)]
    for n, jid in enumerate(jids):
        assert farm.wait(jid)["status"] == "success"
        folder = (tmp_path / "cwd{}".format(n)).read_text().strip()
        assert folder == os.path.realpath(os.path.join(farm.paths.work, jid))
    assert farm_cwd(farm) == before == "/"


def test_a_shell_command_sees_a_bare_sh_c(farm):
    jid = farm.submit(['echo "args: $0 $#"; echo "pwd: $PWD"; echo "old: ${OLDPWD-unset}"'])
    assert farm.wait(jid)["status"] == "success"
    log = farm.log(jid, "000")
    folder = os.path.realpath(os.path.join(farm.paths.work, jid))
    assert "args: /bin/sh 0\n" in log
    assert "pwd: {}\n".format(folder) in log
    assert "old: unset\n" in log


def test_shell_errors_keep_their_line_numbers(farm):
    jid = farm.submit(["echo first\nno-such-command-on-line-2"])
    assert farm.wait(jid)["status"] == "failed"
    log = farm.log(jid, "000")
    assert "/bin/sh: 2: no-such-command-on-line-2: not found" in log
    jid = farm.submit(["if"])
    farm.wait(jid)
    assert farm.tasks(jid)[0]["exit_code"] == 2
    assert "/bin/sh: 1: Syntax error: end of file unexpected" in farm.log(jid, "000")


def test_an_argv_runs_in_the_folder_with_its_own_argv0_and_environment(farm):
    make_tool = "printf '#!/bin/sh\\necho \"tool: $0 $1 in $(pwd)\"\\n' > tool.sh; chmod +x tool.sh"
    jid = farm.submit(
        payload=farm.payload(
            [{"commands": [make_tool, ["./tool.sh", "a b"], ["env"]], "frames": "1"}]
        )
    )
    assert farm.wait(jid)["status"] == "success", farm.log(jid, "000")
    log = farm.log(jid, "000")
    folder = os.path.realpath(os.path.join(farm.paths.work, jid))
    assert "tool: ./tool.sh a b in {}\n".format(folder) in log
    env_lines = [line for line in log.splitlines() if "=" in line and not line.startswith("[")]
    assert not any(line.startswith(("PWD=", "OLDPWD=")) for line in env_lines), env_lines
    assert "FARMHAND_JOB_ID={}".format(jid) in env_lines


def test_an_argv_program_that_cannot_run_is_reported_by_the_farm(farm, tmp_path):
    plain = tmp_path / "not-executable"
    plain.write_text("data")
    jid = farm.submit(payload=farm.payload([{"command": [str(plain)]}]))
    farm.wait(jid)
    assert farm.tasks(jid)[0]["exit_code"] == 126
    assert "[farmhand] cannot run '{}': Permission denied".format(plain) in farm.log(jid, "000")
    jid = farm.submit(payload=farm.payload([{"command": ["no-such-program-xyz"]}]))
    farm.wait(jid)
    assert farm.tasks(jid)[0]["exit_code"] == 127
    assert "[farmhand] cannot run 'no-such-program-xyz': No such file or directory" in farm.log(
        jid, "000"
    )


def test_spawn_args_put_the_folder_in_a_parameter_not_in_the_script(tmp_path):
    folder = str(tmp_path / 'it\'s a "folder" $(rm -rf /)')
    args = spawn_args(Command(shell="echo hi"), folder, "/usr/bin:/bin")
    assert args[:2] == ["/bin/sh", "-c"] and args[3:] == ["/bin/sh", folder]
    assert args[2].endswith("; echo hi") and folder not in args[2]
    args = spawn_args(Command(argv=("true", "x")), folder, "/usr/bin:/bin")
    assert args[3:] == ["/bin/sh", folder, "true", "x"]
