"""The environment a task runs in: a clean base, then the job's variables by merge policy.

Tasks must not inherit whatever the farm process happened to be started with (a developer's
virtualenv, a host's PYTHONPATH), or a job that works on one workstation breaks on the next.
The job's ``environment`` arrives already merged by the client (packages plus user extras);
the merge policy its packages declare for each variable says how it meets the base value:
``append``/``prepend`` extend the base (PATH keeps /usr/bin), ``exclusive`` replaces it.
"""

import getpass
import os
import pwd
from typing import Dict, Mapping, Optional

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
PASSED_THROUGH = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")


def clean_base(environ: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    environ = os.environ if environ is None else environ
    user = getpass.getuser()
    try:
        record = pwd.getpwuid(os.getuid())
        home, shell = record.pw_dir, record.pw_shell or "/bin/sh"
    except KeyError:
        home, shell = environ.get("HOME", "/"), "/bin/sh"
    base = {
        "PATH": SYSTEM_PATH,
        "HOME": environ.get("HOME", home),
        "USER": user,
        "LOGNAME": user,
        "SHELL": shell,
        "TERM": "dumb",
    }
    for name in PASSED_THROUGH:
        if environ.get(name):
            base[name] = environ[name]
    return base


def _join(first: str, second: str) -> str:
    if not first:
        return second
    if not second:
        return first
    return first + os.pathsep + second


def merge(
    base: Mapping[str, str], job_env: Mapping[str, str], policies: Mapping[str, str]
) -> Dict[str, str]:
    result = dict(base)
    for name, value in job_env.items():
        policy = policies.get(name, "exclusive")
        if policy == "append":
            result[name] = _join(result.get(name, ""), value)
        elif policy == "prepend":
            result[name] = _join(value, result.get(name, ""))
        else:
            result[name] = value
    return result
