"""Job files: ``JobSettings`` as JSON, checked key by key.

A job file is one JSON object whose keys are ``JobSettings`` field names (the seed API's
submission argument names plus the submitter's own). ``settings_from_dict`` refuses what it
cannot take as-is with an ``InputError`` naming the key (``extra_environment[1].value``...)
and the expected type, and suggests the closest key for a misspelt one; it never coerces
(``"2"`` is not a chunk size). Values (a chunk size of 0, an unknown strategy) are checked by
validation, so the same rules hold for settings edited in a widget.

``settings_to_dict`` is the exact inverse (``settings_from_dict(settings_to_dict(s)) == s``),
which is what host nodes and the submitter window store. Relative ``upload_paths`` and a
relative ``output_path`` in a job *file* are taken relative to the file's folder.
"""

import difflib
import json
import os
from dataclasses import asdict, fields
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from farmhand.core.catalogue import Catalogue
from farmhand.core.errors import InputError
from farmhand.core.job.build import build_submission
from farmhand.core.job.context import HostContext
from farmhand.core.job.settings import EnvEntry, JobSettings
from farmhand.core.job.submission import Submission

# Names users bring from the seeds and other submitters, mapped to ours (for suggestions only).
_ALIASES = {
    "title": "job_title",
    "scout_frame": "scout_frames",
    "custom_frames": "frames",
    "extra_uploads": "upload_paths",
    "upload_files": "upload_paths",
    "email_addresses": "notify",
    "emails": "notify",
    "env": "environment",
    "packages": "software_package_ids",
    "chunksize": "chunk_size",
}


class JobFileError(InputError):
    """A job file that cannot be read; the message starts with the file's path."""

    def __init__(self, path: str, message: str, field: Optional[str] = None) -> None:
        super().__init__(message, field)
        self.path = path
        prefix = path if field is None else "{}: {}".format(path, field)
        self.args = ("{}: {}".format(prefix, message),)

    def __str__(self) -> str:
        return str(self.args[0])


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, sort_keys=True)
    except (TypeError, ValueError, RecursionError):
        text = "..." if isinstance(value, (list, dict)) else repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return "{} ({})".format(text, _json_type(value))


def _wrong(field: str, expected: str, value: Any) -> InputError:
    return InputError("expected {}, got {}".format(expected, _shown(value)), field)


def _string(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise _wrong(field, "a string", value)
    return value


def _whole(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(field, "a whole number", value)
    return value


def _boolean(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise _wrong(field, "true or false", value)
    return value


def _string_list(value: Any, field: str) -> List[str]:
    if not isinstance(value, list):
        raise _wrong(field, "a list of strings", value)
    return [_string(item, "{}[{}]".format(field, index)) for index, item in enumerate(value)]


def _string_map(value: Any, field: str) -> Dict[str, str]:
    if not isinstance(value, dict):
        raise _wrong(field, "an object of string values", value)
    return {str(key): _string(item, "{}.{}".format(field, key)) for key, item in value.items()}


def _object(
    value: Any, field: str, shape: str, keys: Tuple[str, ...], required: Tuple[str, ...]
) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise _wrong(field, shape, value)
    for key in value:
        if key not in keys:
            raise InputError(
                "unknown key {!r}{}; valid keys: {}".format(
                    key, suggest_key(key, keys), ", ".join(keys)
                ),
                field,
            )
    for key in required:
        if key not in value:
            raise InputError("missing {!r} (expected {})".format(key, shape), field)
    return value


_ENV_SHAPE = "an object {name, value, merge_policy}"


def _env_list(value: Any, field: str) -> List[EnvEntry]:
    if not isinstance(value, list):
        raise _wrong(field, "a list of {name, value, merge_policy} objects", value)
    entries = []
    for index, item in enumerate(value):
        where = "{}[{}]".format(field, index)
        data = _object(
            item, where, _ENV_SHAPE, ("name", "value", "merge_policy"), ("name", "value")
        )
        entries.append(
            EnvEntry(
                name=_string(data["name"], where + ".name"),
                value=_string(data["value"], where + ".value"),
                merge_policy=_string(
                    data.get("merge_policy", "exclusive"), where + ".merge_policy"
                ),
            )
        )
    return entries


def _tasks(value: Any, field: str) -> Optional[List[Dict[str, Any]]]:
    """Tasks are used as given, so only their shape is checked here (validation checks more)."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise _wrong(field, "a list of {command, frames} objects, or null", value)
    tasks = []
    for index, item in enumerate(value):
        where = "{}[{}]".format(field, index)
        if not isinstance(item, dict):
            raise _wrong(where, "an object {command, frames}", item)
        tasks.append(dict(item))
    return tasks


_RETRY_SHAPE = '{"failed": {"max_retries": n}, "preempted": {"max_retries": n}}'


def _retry_policy(value: Any, field: str) -> Optional[Dict[str, Dict[str, int]]]:
    if value is None:
        return None
    data = _object(value, field, "null or " + _RETRY_SHAPE, ("failed", "preempted"), ())
    policy = {}
    for kind, rule in sorted(data.items()):
        where = "{}.{}".format(field, kind)
        rule = _object(rule, where, '{"max_retries": n}', ("max_retries",), ("max_retries",))
        policy[kind] = {"max_retries": _whole(rule["max_retries"], where + ".max_retries")}
    return policy


Reader = Callable[[Any, str], Any]

# JobSettings field -> reader; a test checks every field has one.
READERS: Dict[str, Reader] = {
    "farm": _string,
    "job_title": _string,
    "project": _string,
    "priority": _whole,
    "location": _string,
    "metadata": _string_map,
    "notify": _string_list,
    "instance_type": _string,
    "machine_flavor": _string,
    "cores": _whole,
    "max_instances": _whole,
    "preemptible": _boolean,
    "retries": _whole,
    "autoretry_policy": _retry_policy,
    "use_custom_frames": _boolean,
    "frames": _string,
    "chunk_size": _whole,
    "chunk_strategy": _string,
    "best_chunk_size": _boolean,
    "max_tasks": _whole,
    "use_scout_frames": _boolean,
    "scout_frames": _string,
    "tiles": _whole,
    "task_template": _string,
    "tasks_data": _tasks,
    "output_path": _string,
    "software_package_ids": _string_list,
    "environment": _string_map,
    "extra_environment": _env_list,
    "upload_paths": _string_list,
    "dependency_scan_policy": _string,
    "missing_files": _string,
    "local_upload": _boolean,
    "force_upload": _boolean,
    "upload_only": _boolean,
    "log_level": _string,
    "show_tracebacks": _boolean,
}

SETTING_NAMES = tuple(f.name for f in fields(JobSettings))


def suggest_key(key: str, valid: Tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for a misspelt or foreign key, else an empty string.

    A key is compared with each valid name and with the name's last word (``titel`` is
    closest to the ``title`` of ``job_title``), and known names from other tools map directly.
    """
    alias = _ALIASES.get(key)
    if alias in valid:
        return " (did you mean {!r}?)".format(alias)
    best, best_ratio = "", 0.0
    for name in valid:
        for candidate in (name, name.rsplit("_", 1)[-1]):
            ratio = difflib.SequenceMatcher(None, key, candidate).ratio()
            if ratio > best_ratio:
                best, best_ratio = name, ratio
    return " (did you mean {!r}?)".format(best) if best_ratio >= 0.6 else ""


def _relative_to(base_dir: str, path: str) -> str:
    if not path or path.startswith("<"):  # empty, or starts with a token such as <pdir>
        return path
    path = os.path.expanduser(path)
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(base_dir, path))


def settings_from_dict(data: Mapping[str, Any], base_dir: Optional[str] = None) -> JobSettings:
    """``JobSettings`` from a dict of setting names (missing keys keep their defaults).

    ``base_dir``: relative ``upload_paths`` and ``output_path`` are taken relative to it
    (``load_job_file`` passes the file's folder); without it paths are kept as given.
    """
    if not isinstance(data, Mapping):
        raise _wrong("settings", "an object of settings", data)
    values = {}
    for key, value in data.items():
        reader = READERS.get(key)
        if reader is None:
            raise InputError(
                "unknown setting{}; valid keys: {}".format(
                    suggest_key(key, SETTING_NAMES), ", ".join(SETTING_NAMES)
                ),
                key,
            )
        values[key] = reader(value, key)
    if base_dir is not None:
        if "upload_paths" in values:
            values["upload_paths"] = [
                # $VAR/...: the variable may name an absolute folder; the scan expands it
                p if p.startswith("$") else _relative_to(base_dir, p)
                for p in values["upload_paths"]
            ]
        if "output_path" in values:
            values["output_path"] = _relative_to(base_dir, values["output_path"])
    return JobSettings(**values)


def settings_to_dict(settings: JobSettings) -> Dict[str, Any]:
    """Every setting as plain JSON-ready data, in field order (the inverse of the above)."""
    return asdict(settings)


def _no_duplicate_keys(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    result: Dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InputError("appears twice in one object", key)
        result[key] = value
    return result


# A job file bigger than this is refused before it is parsed: a job file comes from other
# people too, and the farm takes no payload bigger than this either (farm/payload.py).
MAX_JOB_FILE_BYTES = 64 * 1024 * 1024


def _read_limited(path: str) -> str:
    with open(path, "rb") as handle:
        raw = handle.read(MAX_JOB_FILE_BYTES + 1)
    if len(raw) > MAX_JOB_FILE_BYTES:
        raise JobFileError(
            path,
            "the job file is over {} bytes (the limit for a job file); split the job".format(
                MAX_JOB_FILE_BYTES
            ),
        )
    return raw.decode("utf-8")


def read_job_file(path: str) -> Dict[str, Any]:
    """The raw JSON object of a job file (duplicate keys refused: JSON would keep the last)."""
    try:
        data = json.loads(_read_limited(path), object_pairs_hook=_no_duplicate_keys)
    except OSError as error:
        raise JobFileError(path, "cannot read the job file: {}".format(error.strerror)) from None
    except InputError as error:
        raise JobFileError(path, error.message, error.field) from None
    except ValueError as error:
        raise JobFileError(path, "not valid JSON: {}".format(error)) from None
    except RecursionError:  # found by fuzzing: '[' * 5000 escaped as a RecursionError
        raise JobFileError(path, "not valid JSON: arrays or objects nested too deeply") from None
    if not isinstance(data, dict):
        raise JobFileError(
            path, "a job file holds one JSON object of settings, not {}".format(_shown(data))
        )
    return data


def load_job_file(path: str) -> JobSettings:
    """``JobSettings`` from a job file; errors name the file and the key."""
    data = read_job_file(path)
    try:
        return settings_from_dict(data, base_dir=os.path.dirname(os.path.abspath(path)))
    except InputError as error:
        raise JobFileError(path, error.message, error.field) from None


def save_job_file(settings: JobSettings, path: str) -> None:
    """Write every setting (2-space indent, field order), atomically."""
    text = json.dumps(settings_to_dict(settings), indent=2) + "\n"
    temporary = "{}.{}.tmp".format(path, os.getpid())
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def job_file_context(path: str) -> HostContext:
    """What a job file stands in for when no host is involved: its name is the job's name.

    A host node gives ``<job>``/``<submitter>`` its node name and ``<pdir>`` its project
    folder; for a job file the file's stem and folder play those parts, so the default title
    (``Farmhand <job> <sequence>``) reads ``Farmhand shot010 1-10`` for ``shot010.json``, and the
    CLI, the standalone window and tests all build the same payload from the same file.
    """
    absolute = os.path.abspath(path)
    name = os.path.splitext(os.path.basename(absolute))[0]
    return HostContext(job_name=name, pdir=os.path.dirname(absolute))


def build_job_file(path: str, catalogue: Optional[Catalogue] = None) -> Submission:
    """What ``farmhand preview`` and ``farmhand submit`` build from a job file: its settings
    in the job file's context (validation messages included, not raised)."""
    return build_submission(load_job_file(path), job_file_context(path), catalogue)
