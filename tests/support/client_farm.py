"""A real local farm in a private folder, driven from any Python (3.7 to 3.13).

The client tests talk to the farm the way a host does: over HTTP, from whatever interpreter
the test runs on. The farm itself (aiohttp, Python >= 3.8) is started and stopped by the main
virtualenv's Python through ``farmhand.farm.control``, so the same helper serves the host
Pythons' test runs (``.venv-py37``, ``.venv-py313``) and the main one.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAIN_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")

_START = """
import json, sys
from farmhand.farm import control
from farmhand.farm.paths import FarmPaths
paths = FarmPaths(sys.argv[1])
url, key = control.start(paths=paths)
print(json.dumps({"url": url, "key": key, "pid": control.status(paths)["pid"]}))
"""
_STOP = """
import sys
from farmhand.farm import control
from farmhand.farm.paths import FarmPaths
control.stop(FarmPaths(sys.argv[1]))
"""


def farm_python():
    """The interpreter that can run the farm: this one if it has aiohttp, else .venv's."""
    try:
        import aiohttp  # noqa: F401

        return sys.executable
    except ImportError:
        return MAIN_PYTHON if os.path.exists(MAIN_PYTHON) else None


class FarmProcess(object):
    def __init__(self, root):
        self.root = str(root)
        self.python = farm_python()
        self.url = self.key = None
        self.pid = None

    @property
    def store(self):
        return os.path.join(self.root, "store")

    def start(self, config=None):
        os.makedirs(self.root, mode=0o700, exist_ok=True)
        if config is not None:
            with open(os.path.join(self.root, "config.json"), "w") as handle:
                json.dump(config, handle)
        env = dict(os.environ)
        env["FARMHAND_HOME"] = self.home
        out = subprocess.check_output([self.python, "-c", _START, self.root], env=env, timeout=90)
        info = json.loads(out.decode().strip().splitlines()[-1])
        self.url, self.key, self.pid = info["url"], info["key"], info["pid"]
        return self

    def stop(self):
        env = dict(os.environ)
        env["FARMHAND_HOME"] = self.home
        subprocess.check_call([self.python, "-c", _STOP, self.root], env=env, timeout=60)

    @property
    def home(self):
        """The FARMHAND_HOME this farm belongs to (its folder is ``<home>/farm``)."""
        return os.path.dirname(self.root)

    def connector(self):
        """The client for this farm, found from its state files as every client finds it
        (``FARMHAND_COMMAND=false``: a test whose farm is gone fails instead of starting one)."""
        from farmhand.core.connectors import connect

        environ = {"FARMHAND_HOME": self.home, "FARMHAND_COMMAND": "false"}
        return connect("local", environ=environ)

    def stored(self, md5):
        import base64

        hex_digest = base64.b64decode(md5).hex()
        return os.path.exists(os.path.join(self.store, hex_digest[:2], hex_digest))

    def leftovers(self):
        """Anything in the store's temporary area (partial uploads)."""
        found = []
        for dirpath, _, filenames in os.walk(os.path.join(self.store, "tmp")):
            found.extend(os.path.join(dirpath, name) for name in filenames)
        return found

    def bytes_written(self):
        """Bytes the farm process's own threads have passed to write() so far (uploads land
        in files first, so a resubmit that sends no content leaves this counter nearly
        still). Summed per thread (``/proc/<pid>/task/<tid>/io``): the process-wide
        ``/proc/<pid>/io`` also adds the writes of every child it reaped, so a task that ran
        ``cat files > /dev/null`` between two readings counted its megabytes as the farm's
        (the resubmit test failed so under load, when the task ended before the reading)."""
        total = 0
        found = False
        for tid in os.listdir("/proc/{}/task".format(self.pid)):
            try:
                with open("/proc/{}/task/{}/io".format(self.pid, tid)) as handle:
                    lines = handle.read().splitlines()
            except (FileNotFoundError, ProcessLookupError):
                continue  # a thread that just ended
            for line in lines:
                if line.startswith("wchar:"):
                    total += int(line.split()[1])
                    found = True
        if found:
            return total
        raise AssertionError("no wchar in /proc/{}/io".format(self.pid))
