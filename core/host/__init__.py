"""The host-adapter contract: what Farmhand asks of Clarisse, Maya, Houdini and Blender.

A host plugin (``farmhand.plugins.<host>``) subclasses two small classes and nothing else:

- ``HostAdapter`` (``adapter``): the open scene as plain data (its file, frame range,
  software, file references, outputs), saving a render package, and its job nodes;
- ``JobNode`` (``job_node``): one job node, storing ``JobSettings`` losslessly as JSON in one
  attribute, plus the attributes the host's own UI edits.

The rest is shared: ``HostAdapter.context``/``build`` give the ``HostContext`` and the
``Submission``; ``submitter_glue`` hands the shared Qt submitter its callbacks; ``submit``
previews and submits without Qt (import it by name: it loads the connectors); ``export``
writes a job file for the CLI; ``callbacks.guarded`` keeps every host callback from raising
into the host; ``software`` matches detected versions to a farm's packages;
``path_patterns`` expands UV tiles and Maya's ``<f>``; ``render_package`` names the scene
copy the farm renders.
"""

from farmhand.core.host.adapter import HostAdapter, SceneOutputs, with_upload
from farmhand.core.host.callbacks import call_guarded, describe_error, guarded, report_error
from farmhand.core.host.errors import HostError, JobNodeError
from farmhand.core.host.export import export_job_file, standalone_settings
from farmhand.core.host.job_node import SETTINGS_ATTRIBUTE, JobNode
from farmhand.core.host.path_patterns import expand_tiles, frame_token_to_hashes, tile_path
from farmhand.core.host.render_package import render_package_path
from farmhand.core.host.software import DetectedPackage, match_package, match_packages
from farmhand.core.host.submitter_glue import SubmitterGlue

__all__ = [
    "SETTINGS_ATTRIBUTE",
    "DetectedPackage",
    "HostAdapter",
    "HostError",
    "JobNode",
    "JobNodeError",
    "SceneOutputs",
    "SubmitterGlue",
    "call_guarded",
    "describe_error",
    "expand_tiles",
    "export_job_file",
    "frame_token_to_hashes",
    "guarded",
    "match_package",
    "match_packages",
    "render_package_path",
    "report_error",
    "standalone_settings",
    "tile_path",
    "with_upload",
]
