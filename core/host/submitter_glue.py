"""The glue between a host adapter's job node and the shared Qt submitter.

The submitter (``farmhand.shared_ui``) takes plain callables (``SubmitterHooks``); core
cannot import Qt, so this builds those callables for one adapter and job node and a host
plugin passes them on: ``SubmitterHooks(host_name=..., **SubmitterGlue(adapter, node,
show).hook_arguments())``.

The callables keep the host safe: ``build_job`` and ``save_settings`` raise only
``InputError`` (which the submitter shows under its buttons), turning anything else into a
``HostError`` after logging it; the others never raise (``callbacks.guarded``).
"""

from typing import Any, Callable, Dict, List, Optional

from farmhand.core.errors import InputError
from farmhand.core.host.adapter import HostAdapter
from farmhand.core.host.callbacks import ShowError, describe_error, guarded, report_error
from farmhand.core.host.errors import HostError
from farmhand.core.host.job_node import JobNode
from farmhand.core.job.settings import JobSettings
from farmhand.core.job.submission import Submission


class SubmitterGlue(object):
    """The submitter's callbacks for ``node`` of ``adapter``'s scene."""

    def __init__(
        self, adapter: HostAdapter, node: JobNode, show_error: Optional[ShowError] = None
    ) -> None:
        self.adapter = adapter
        self.node = node
        self.show_error = show_error

    def _as_input_error(self, what: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except InputError:
            raise
        except Exception as error:  # noqa: BLE001 - reported, then shown by the submitter
            report_error(what, error)
            raise HostError(describe_error(what, error), self.adapter.name) from error

    def build_job(self, settings: JobSettings, catalogue: Any) -> Submission:
        """Save the render package and build the job from the scene as it is now."""
        return self._as_input_error(  # type: ignore[no-any-return]
            "Building the job", lambda: self.adapter.build(self.node, settings, catalogue)
        )

    def save_settings(self, settings: JobSettings) -> None:
        self._as_input_error("Saving the job", lambda: self.node.write_settings(settings))

    def host_frames(self) -> str:
        return (
            guarded("Reading the scene's frame range", self.show_error, "")(
                self.adapter.node_frame_range
            )(self.node)
            or ""
        )

    def detect_packages(self, catalogue: Any) -> List[str]:
        return (
            guarded("Detecting the scene's software", self.show_error, [])(
                self.adapter.detect_package_ids
            )(catalogue)
            or []
        )

    def settings_changed(self, settings: JobSettings) -> None:
        guarded("Storing the job's settings", self.show_error)(self.node.write_settings)(settings)

    def hook_arguments(self) -> Dict[str, Any]:
        """Keyword arguments for ``farmhand.shared_ui.hooks.SubmitterHooks``."""
        return {
            "build_job": self.build_job,
            "host_name": self.adapter.name,
            "host_frames": self.host_frames,
            "detect_packages": self.detect_packages,
            "save_settings": self.save_settings,
            "settings_changed": self.settings_changed,
        }
