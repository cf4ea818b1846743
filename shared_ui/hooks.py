"""What a host hands the shared submitter: plain callables over data, never host objects.

The submitter never calls a host API itself. A host adapter (or the standalone window)
passes its own settings widget, the callback that turns settings into a ``Submission`` (it
reads the scene there, on the UI thread where host APIs are safe), and optional extras.
Everything has a default, so the standalone window passes only ``build_job``.
"""

from typing import Any, Callable, List, Optional

from farmhand.core.job.settings import JobSettings

BuildJob = Callable[[JobSettings, Any], Any]  # (settings, catalogue or None) -> Submission


class SubmitterHooks(object):
    """The host's side of the submitter.

    ``build_job(settings, catalogue)``: the job-building callback (required).
    ``host_widget``: a QWidget shown above the sections (e.g. the images to render); if it
    has ``load(settings)``/``store(settings)``/``changed`` they are used like a section's.
    ``host_frames()``: the scene's frame range as a spec, used when custom frames is off.
    ``detect_packages(catalogue)``: ids of the catalogue packages matching this host.
    ``save_settings(settings)``: write the settings back (a host node, a job file).
    ``settings_changed(settings)``: called after each edit (e.g. to keep a node in sync).
    """

    def __init__(
        self,
        build_job: BuildJob,
        host_name: str = "standalone",
        host_widget: Any = None,
        host_frames: Optional[Callable[[], str]] = None,
        detect_packages: Optional[Callable[[Any], List[str]]] = None,
        save_settings: Optional[Callable[[JobSettings], None]] = None,
        settings_changed: Optional[Callable[[JobSettings], None]] = None,
    ) -> None:
        self.build_job = build_job
        self.host_name = host_name
        self.host_widget = host_widget
        self.host_frames = host_frames
        self.detect_packages = detect_packages
        self.save_settings = save_settings
        self.settings_changed = settings_changed
