"""``Project``: a folder of files, the jobs that run on them and the results to download.

Remote paths mirror the seed's: the project's remote root is ``/<name>``, always with forward
slashes; a job's ``path`` and every added file live below it. Only files inside the project's
folder can be added: any other path is left out, as the seed says, and listed in
``project.ignored`` with the reason (never silently).
"""

import datetime
import logging
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

from farmhand.api.envoy.errors import InvalidRequestError
from farmhand.api.envoy.job import Job
from farmhand.api.envoy.watch_file import WatchFile, mapped_local_path

log = logging.getLogger("farmhand.api.envoy")

PROJECT_PARAMS = {
    "project_summary_log_file": str,
    "project_param_output": list,
    "project_param": dict,
    "project_env": dict,
}


def check_folder_name(value: object, field: str) -> str:
    """A name used as one remote folder: no separators, not '.' or '..'."""
    if (
        not isinstance(value, str)
        or not value.strip()
        or value in (".", "..")
        or any(c in value for c in "/\\\x00:*?\"<>|")
    ):
        raise InvalidRequestError(
            "{!r} is not a valid folder name (no / \\ : * ? \" < > |, not . or ..)".format(value),
            field=field,
        )
    return value


def _timestamp() -> str:
    return datetime.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")


def _seen_as(written: str, local: str) -> str:
    """`` (mapped to /x)`` when path mapping changed the path, so the message shows both."""
    if os.path.normpath(written) == local or os.path.abspath(written) == local:
        return ""
    return " (mapped to {})".format(local)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Project(object):
    def __init__(
        self,
        project_folder: str,
        name: str = "",
        submission_name: Optional[str] = None,
        output_folder_name: Optional[str] = None,
        **params: Any
    ) -> None:
        if not isinstance(project_folder, str) or not project_folder:
            raise InvalidRequestError(
                "expected the project's folder, got {!r}".format(project_folder),
                field="project_folder",
            )
        root = os.path.realpath(
            os.path.abspath(mapped_local_path(project_folder, "project_folder"))
        )
        if not os.path.isdir(root):
            raise InvalidRequestError(
                "{} is not a folder{}".format(project_folder, _seen_as(project_folder, root)),
                field="project_folder",
            )
        for key, value in params.items():
            kind = PROJECT_PARAMS.get(key)
            if kind is None:
                raise InvalidRequestError(
                    "unknown project parameter; valid: {}".format(", ".join(PROJECT_PARAMS)),
                    field=key,
                )
            if not isinstance(value, kind):
                raise InvalidRequestError(
                    "expected a {}, got {!r}".format(kind.__name__, value), field=key
                )
        env = params.get("project_env") or {}
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
            raise InvalidRequestError(
                "expected variable names and values as strings, got {!r}".format(env),
                field="project_env",
            )
        self.LocalRoot = root
        self.name = check_folder_name(name or os.path.basename(root), "name")
        self.RemoteRoot = "/" + self.name
        self.submission_name = (
            _timestamp() if submission_name is None else submission_name
        )
        if not isinstance(self.submission_name, str) or not self.submission_name.strip():
            raise InvalidRequestError(
                "expected a name, got {!r}".format(submission_name), field="submission_name"
            )
        folder = self.submission_name if output_folder_name is None else output_folder_name
        if output_folder_name is None:
            folder = "".join("_" if c in "/\\\x00:*?\"<>|" else c for c in folder)
        self.output_folder_name = check_folder_name(folder, "output_folder_name")
        self.params: Dict[str, Any] = dict(params)
        self.jobs: List[Job] = []
        self.files: Dict[str, str] = {}  # remote path -> local path
        self.watch_files: List[WatchFile] = []
        self.ignored: List[Tuple[str, str]] = []  # (path, why it was left out)

    # seed-style names and snake_case names for the same values
    @property
    def local_root(self) -> str:
        return self.LocalRoot

    @property
    def remote_root(self) -> str:
        return self.RemoteRoot

    @property
    def remote_output_folder(self) -> str:
        return "{}/render_results/{}".format(self.RemoteRoot, self.output_folder_name)

    @property
    def environment(self) -> Dict[str, str]:
        return dict(self.params.get("project_env") or {})

    def default_watch_file(self) -> WatchFile:
        """Without watch files, results go to ``<project folder>/<output folder name>``."""
        return WatchFile(
            "{}/.+".format(self.remote_output_folder),
            os.path.join(self.LocalRoot, self.output_folder_name),
        )

    # -- files ------------------------------------------------------------------------------

    def add_files(
        self, local_folder: str, remote_folder: str, files: Optional[Sequence[str]] = None
    ) -> None:
        """Add ``files`` (relative to ``local_folder``, or absolute) under ``remote_folder``;
        without ``files``, everything in ``local_folder``. Paths outside the project's folder
        are left out (``ignored``)."""
        if not isinstance(local_folder, str) or not local_folder:
            raise InvalidRequestError(
                "expected a local folder, got {!r}".format(local_folder), field="local_folder"
            )
        folder = os.path.realpath(
            os.path.join(self.LocalRoot, mapped_local_path(local_folder, "local_folder"))
        )
        remote = self._remote_folder(remote_folder)
        if not _inside(folder, self.LocalRoot):
            self._ignore(folder, "outside the project folder {}".format(self.LocalRoot))
            return
        if not os.path.isdir(folder):
            raise InvalidRequestError(
                "{} is not a folder{}".format(local_folder, _seen_as(local_folder, folder)),
                "local_folder",
            )
        if files is None:
            names: Sequence[str] = sorted(os.listdir(folder))
        elif isinstance(files, str) or not isinstance(files, (list, tuple)):
            raise InvalidRequestError(
                "expected a list of file or folder names, got {!r}".format(files), "files"
            )
        else:
            names = files
        for name in names:
            if not isinstance(name, str) or not name:
                raise InvalidRequestError("expected a path, got {!r}".format(name), "files")
            path = os.path.realpath(os.path.join(folder, name))
            if not _inside(path, self.LocalRoot):
                self._ignore(path, "outside the project folder {}".format(self.LocalRoot))
                continue
            if not os.path.exists(path):
                raise InvalidRequestError(
                    "{} does not exist (in {})".format(name, folder), field="files"
                )
            relative = os.path.relpath(path, folder)
            if relative.startswith(".."):  # inside the project but not under local_folder
                relative = os.path.relpath(path, self.LocalRoot)
            self._add(path, remote + "/" + relative.replace(os.sep, "/"))

    def _add(self, path: str, remote: str) -> None:
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                for filename in sorted(filenames):
                    full = os.path.join(dirpath, filename)
                    inner = os.path.relpath(full, path).replace(os.sep, "/")
                    self._add(os.path.realpath(full), remote + "/" + inner)
            return
        if not os.path.isfile(path):
            self._ignore(path, "not a regular file")
            return
        if not _inside(path, self.LocalRoot):
            self._ignore(path, "a link to outside the project folder {}".format(self.LocalRoot))
            return
        known = self.files.get(remote)
        if known is not None and known != path:
            raise InvalidRequestError(
                "{} would hold both {} and {}".format(remote, known, path), field="files"
            )
        self.files[remote] = path

    def _remote_folder(self, remote_folder: object) -> str:
        if not isinstance(remote_folder, str) or not remote_folder:
            raise InvalidRequestError(
                "expected a remote folder like {!r}, got {!r}".format(
                    self.RemoteRoot, remote_folder
                ),
                field="remote_folder",
            )
        if "\\" in remote_folder:
            raise InvalidRequestError(
                "remote folders use forward slashes, got {!r}".format(remote_folder),
                field="remote_folder",
            )
        remote = "/" + "/".join(p for p in remote_folder.split("/") if p not in ("", "."))
        if ".." in remote.split("/") or not (
            remote == self.RemoteRoot or remote.startswith(self.RemoteRoot + "/")
        ):
            raise InvalidRequestError(
                "{!r} is not the project's remote folder {!r} or a folder in it".format(
                    remote_folder, self.RemoteRoot
                ),
                field="remote_folder",
            )
        return remote

    def _ignore(self, path: str, why: str) -> None:
        log.warning("project %s: %s left out: %s", self.name, path, why)
        self.ignored.append((path, why))

    # -- jobs and results -------------------------------------------------------------------

    def add_jobs(self, *jobs: Job) -> None:
        for job in jobs:
            if not isinstance(job, Job):
                raise InvalidRequestError("expected Job objects, got {!r}".format(job), "jobs")
            if any(other.name == job.name for other in self.jobs if other is not job):
                raise InvalidRequestError(
                    "the project already has a job named {!r}".format(job.name), field="name"
                )
            job.project = self
            if job not in self.jobs:
                self.jobs.append(job)

    def add_watch_files(self, *watch_files: WatchFile) -> None:
        for item in watch_files:
            if not isinstance(item, WatchFile):
                raise InvalidRequestError(
                    "expected WatchFile objects, got {!r}".format(item), "watch_files"
                )
            self.watch_files.append(item)

    def remote_file(self, remote_path: str) -> str:
        """A job path (``/proj/scene.blend``, ``proj/scene.blend``) as a remote path."""
        return "/" + "/".join(p for p in remote_path.split("/") if p not in ("", "."))

    def serialize(
        self, skip_upload: bool = False, skip_auto_download: bool = False
    ) -> Dict[str, Any]:
        """The project as the Envoy service's ``/project-submit`` takes it."""
        data: Dict[str, Any] = {
            "project_request": {
                "name": "{} {}".format(self.name, self.submission_name),
                "params": dict(self.params),
                "jobs": [job.serialize(self) for job in self.jobs],
            },
            "project_files": {
                "localRoot": self.LocalRoot,
                "remoteRoot": self.RemoteRoot,
                "files": self._local_relative(),
            },
            "watch_files": {},
        }
        if skip_upload:
            data["skip_upload"] = True
        if not skip_auto_download:
            for item in self.watch_files or [self.default_watch_file()]:
                data["watch_files"].update(item.serialize)
        return data

    def upload_serialize(self) -> Dict[str, Any]:
        """The project's files as the Envoy service's ``/upload`` takes them."""
        return {
            "upload": [
                {
                    "localRoot": self.LocalRoot,
                    "remoteRoot": self.RemoteRoot,
                    "files": self._local_relative(),
                }
            ]
        }

    def _local_relative(self) -> List[str]:
        """The files as the known Envoy protocol lists them: relative to the local root (it
        has no field for a remote folder that differs from the local layout)."""
        return sorted(
            os.path.relpath(path, self.LocalRoot).replace(os.sep, "/")
            for path in set(self.files.values())
        )

    def __repr__(self) -> str:
        return "Project({!r}, {!r})".format(self.LocalRoot, self.name)
