"""A Farmhand payload as a GridMarkets project (the Envoy service's ``/project-submit`` body).

GridMarkets runs products, not commands: a job names the product and its version, the scene
file and the frames, and GridMarkets builds the render command itself. So a payload becomes
one project with one job (two with scout frames):

* product and plug-ins: the payload's software packages, from the catalogue this farm serves
  (``catalogue_from_products``: GridMarkets' products under stable package ids); or, without
  reaching the service, ``metadata.gridmarkets_app`` and ``gridmarkets_app_version``;
* files: the payload's uploads; the project's folder is their common folder, its name the
  remote root; the scene is the first file with the product's extension;
* frames: every task's frames together, in GridMarkets' ``start end step`` form; with scout
  frames, those are a first job of the project and the rest a second job that depends on it
  (GridMarkets starts it once the scouts have rendered: Envoy has no hold to release);
* parameters: ``metadata`` keys ``gridmarkets_<param>`` (``gridmarkets_output_format: png``);
* results: a watch file bringing everything under the results folder to ``output_path``.

What the payload says that GridMarkets has no place for (commands, task dependencies,
priority...) is what ``GridMarketsConnector.validate`` warns about.
"""

import hashlib
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from farmhand.core.catalogue import Catalogue, SoftwarePackage
from farmhand.core.errors import InputError
from farmhand.core.frames import FrameSpec
from farmhand.core.transfer.files import LocalFile

PARAM_PREFIX = "gridmarkets_"
SCENE_EXTENSIONS = {
    "blender": (".blend",),
    "c4d": (".c4d",),
    "hou": (".hip", ".hipnc", ".hiplc"),
    "maya": (".ma", ".mb"),
    "nuke": (".nk",),
    "vray": (".vrscene",),
}
INTEGER_PARAMS = ("output_width", "output_height", "rt_engine")
BOOLEAN_PARAMS = ("gpu",)
OWN_KEYS = ("app", "app_version", "machine_type", "plugins")


def package_id(*words: str) -> str:
    return hashlib.md5(" ".join(("gridmarkets",) + words).encode("utf-8")).hexdigest()


def catalogue_from_products(products: Sequence[Mapping[str, Any]]) -> Catalogue:
    """GridMarkets' products (``/products``) as packages: each product version, and each
    plug-in version once per product version it goes with."""
    packages: List[SoftwarePackage] = []
    for item in products:
        code, version = str(item.get("app_type") or ""), str(item.get("version") or "")
        if not code or not version:
            continue
        packages.append(SoftwarePackage(package_id(code, version), code, version))
        for module in item.get("compatible_modules") or []:
            plugin, _, plugin_version = str(module).partition(":")
            packages.append(
                SoftwarePackage(
                    package_id(plugin, plugin_version, code, version),
                    plugin,
                    plugin_version,
                    plugin_host_product=code,
                    plugin_host_version=version,
                )
            )
    return Catalogue(projects=("default",), packages=tuple(packages))


def seed_frames(spec: FrameSpec) -> str:
    """A frame set in GridMarkets' ``start end step,...`` form."""
    return ",".join("{} {} {}".format(s, e, step) for s, e, step in spec.progressions)


def _frames(payload: Mapping[str, Any]) -> FrameSpec:
    spec = FrameSpec()
    for index, task in enumerate(payload.get("tasks_data") or []):
        text = str(task.get("frames") or "") if isinstance(task, Mapping) else ""
        if text.strip():
            spec = spec.union(FrameSpec.parse(text, "tasks_data[{}].frames".format(index)))
    if not spec:
        raise InputError(
            "no task names its frames; GridMarkets renders a job's frames", field="tasks_data"
        )
    return spec


def scout_split(payload: Mapping[str, Any]) -> Tuple[Optional[FrameSpec], FrameSpec]:
    """(scout frames, the other frames) of the job's frames; no scout frames when none of
    the scout frames is among the job's or when every frame is one (one job: nothing would
    wait)."""
    frames = _frames(payload)
    scout = payload.get("scout_frames") or ""
    if isinstance(scout, list):
        scout = ",".join(str(frame) for frame in scout)
    if not isinstance(scout, str):
        raise InputError("expected a frame spec string, got {!r}".format(scout), "scout_frames")
    if not scout.strip():
        return None, frames
    scouts = frames.intersection(FrameSpec.parse(scout, "scout_frames"))
    if not scouts or len(scouts) == len(frames):
        return None, frames
    return scouts, frames.difference(scouts)


def _params(metadata: Mapping[str, Any]) -> Dict[str, Any]:
    params: Dict[str, Any] = {}
    for key, value in metadata.items():
        if not str(key).startswith(PARAM_PREFIX):
            continue
        name = str(key)[len(PARAM_PREFIX) :]
        text = str(value)
        if name in INTEGER_PARAMS:
            if not text.strip().isdigit():
                raise InputError(
                    "expected a whole number, got {!r}".format(value), field="metadata." + key
                )
            params[name] = int(text)
        elif name in BOOLEAN_PARAMS:
            if text.lower() not in ("true", "false"):
                raise InputError(
                    "expected true or false, got {!r}".format(value), field="metadata." + key
                )
            params[name] = text.lower() == "true"
        else:
            params[name] = text
    return params


def _product(
    payload: Mapping[str, Any], params: Dict[str, Any], catalogue: Optional[Catalogue]
) -> Tuple[str, str, List[str]]:
    """(app, version, plug-in codes)."""
    app, version = params.pop("app", None), params.pop("app_version", None)
    plugins = [p for p in str(params.pop("plugins", "") or "").split(",") if p.strip()]
    if app and version:
        return str(app), str(version), [p.strip() for p in plugins]
    ids = [str(i) for i in payload.get("software_package_ids") or []]
    if catalogue is None:
        raise InputError(
            "set metadata gridmarkets_app and gridmarkets_app_version, or choose the product"
            " from the gridmarkets farm's catalogue",
            field="software_package_ids",
        )
    chosen = [catalogue.package(i) for i in ids]
    hosts = [p for p in chosen if not p.is_plugin]
    if len(hosts) != 1:
        raise InputError(
            "a GridMarkets job runs one product; the payload names {}: {}".format(
                len(hosts), ", ".join(p.label for p in hosts) or "none"
            ),
            field="software_package_ids",
        )
    return hosts[0].product, hosts[0].version, [p.product for p in chosen if p.is_plugin]


def translate(
    payload: Mapping[str, Any],
    files: Sequence[LocalFile],
    catalogue: Optional[Catalogue] = None,
    submission_name: str = "",
) -> Tuple[str, Dict[str, Any]]:
    """(project name, ``/project-submit`` body)."""
    metadata = payload.get("metadata") or {}
    params = _params(metadata if isinstance(metadata, Mapping) else {})
    machine_type = str(params.pop("machine_type", ""))
    app, version, plugins = _product(payload, params, catalogue)
    if not files:
        raise InputError(
            "a GridMarkets job needs its scene among the job's files; upload_paths is empty",
            field="upload_paths",
        )
    root = os.path.commonpath([os.path.dirname(f.path) for f in files])
    name = os.path.basename(root) or "farmhand"
    relative = sorted(os.path.relpath(f.path, root).replace(os.sep, "/") for f in files)
    extensions = SCENE_EXTENSIONS.get(app, ())
    scenes = [r for r in relative if r.lower().endswith(extensions)] if extensions else []
    scene = str(params.pop("path", "")) or (
        "/{}/{}".format(name, scenes[0]) if scenes else ""
    )
    if not scene:
        raise InputError(
            "a GridMarkets {} job renders a scene file ({}), and none of the job's {} files is"
            " one; add it to upload_paths or set metadata gridmarkets_path".format(
                app, " ".join(extensions) or "its extension", len(files)
            ),
            field="upload_paths",
        )
    scouts: Optional[FrameSpec] = None
    if "frames" not in params:  # metadata gridmarkets_frames names them itself: no scout job
        scouts, frames = scout_split(payload)
        params["frames"] = seed_frames(frames)
    title = str(payload.get("job_title") or "farmhand job")
    folder = "".join(c if c.isalnum() or c in "-_." else "_" for c in title).strip("._")
    folder = submission_name or folder or "results"
    results = "/{}/render_results/{}".format(name, folder)
    params.setdefault("output_dir_name", folder)
    params.setdefault("output_upload", [results + "/.+"])
    params.setdefault("billing_meta", [app] + plugins)
    tasks = payload.get("tasks_data") or []
    instances = int(payload.get("max_instances") or len(tasks) or 1)
    job: Dict[str, Any] = {
        "id": package_id(title, name, folder),
        "name": title,
        "app": app,
        "app_version": version,
        "operation": str(params.pop("operation", "render")),
        "path": scene,
        "instances": instances,
        "machine_type": machine_type,
        "plugins": plugins,
        "params": params,
        "dependencies": [],
    }
    jobs = [job]
    if scouts:
        scout_job = dict(
            job,
            id=package_id(title, name, folder, "scouts"),
            name="{} [scouts]".format(title),
            instances=min(instances, len(scouts)),
            params=dict(params, frames=seed_frames(scouts)),
        )
        job["dependencies"] = [scout_job["id"]]
        jobs = [scout_job, job]
    body: Dict[str, Any] = {
        "project_request": {"name": "{} {}".format(name, folder), "params": {}, "jobs": jobs},
        "project_files": {"localRoot": root, "remoteRoot": "/" + name, "files": relative},
        "watch_files": {},
    }
    output_path = str(payload.get("output_path") or "")
    if output_path:
        body["watch_files"][results + "/.+"] = output_path
    return name, body
