"""What the local Envoy remembers about each project, under ``$FARMHAND_HOME/envoy``.

GridMarkets' Envoy is a service on the user's machine that keeps each project's uploaded
files, submissions and downloads; against the local farm, Farmhand keeps the same in one JSON
file per project (``projects/<name>.json``), so ``get_project_status`` works from any process
and a later ``submit_project(project, skip_upload=True)`` knows which files were uploaded.
Every change is a read-modify-write under an exclusive lock on the project's ``.lock`` file,
written to a temporary file and renamed, so a reader never sees half a record and the
downloader and the client never undo each other's changes.
"""

import contextlib
import json
import os
from typing import Any, Callable, Dict, Iterator, List, Optional

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the local farm does not run there either
    fcntl = None  # type: ignore[assignment]

from farmhand.core.paths import farmhand_home

Record = Dict[str, Any]


def envoy_home(home: Optional[str] = None) -> str:
    return os.path.join(home or farmhand_home(), "envoy")


def _file_name(name: str) -> str:
    """A project name as a file name (names are folder names already; keep it reversible)."""
    return "".join(c if c.isalnum() or c in "-_." else "%{:02X}".format(ord(c)) for c in name)


class ProjectRecords(object):
    def __init__(self, home: Optional[str] = None) -> None:
        self.root = envoy_home(home)
        self.folder = os.path.join(self.root, "projects")

    def path(self, name: str) -> str:
        return os.path.join(self.folder, _file_name(name) + ".json")

    @contextlib.contextmanager
    def locked(self, name: str, suffix: str = ".lock", blocking: bool = True) -> Iterator[bool]:
        """An exclusive lock for one project; yields False when ``blocking`` is off and
        someone else holds it."""
        os.makedirs(self.folder, exist_ok=True)
        fd = os.open(self.path(name) + suffix, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            got = True
            if fcntl is not None:
                flags = fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB
                try:
                    fcntl.flock(fd, flags)
                except BlockingIOError:
                    got = False
            yield got
        finally:
            os.close(fd)

    def load(self, name: str) -> Optional[Record]:
        try:
            with open(self.path(name), encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return None
        return data if isinstance(data, dict) else None

    def update(self, name: str, change: Callable[[Record], None]) -> Record:
        """Apply ``change`` to the record (a new one ``{"name": name}`` if there is none)."""
        with self.locked(name):
            record = self.load(name) or {"name": name, "files": {}, "submissions": []}
            change(record)
            tmp = "{}.{}.tmp".format(self.path(name), os.getpid())
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump(record, handle, indent=1, sort_keys=True)
            os.replace(tmp, self.path(name))
            return record

    def names(self) -> List[str]:
        if not os.path.isdir(self.folder):
            return []
        names = []
        for entry in sorted(os.listdir(self.folder)):
            if entry.endswith(".json"):
                record = self.load(entry[: -len(".json")])
                if record is None:  # a name with escaped characters: read the file itself
                    with open(os.path.join(self.folder, entry), encoding="utf-8") as handle:
                        record = json.load(handle)
                names.append(str(record.get("name", entry[:-5])))
        return names
