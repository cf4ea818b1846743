"""``Submit(args).main()``: the seed's submission class over Farmhand's job model.

``args`` takes the seed's submission argument names, which are ``JobSettings`` field names
(``job_title``, ``machine_flavor`` + ``cores`` or ``instance_type``, ``tasks_data``,
``environment``, ``upload_paths``, ``scout_frames``...), plus what ciocore's own ``Submit``
accepts besides: its uploader options (``md5_caching``, ``enforced_md5s``,
``database_filepath``, kept for the uploader), ``owner``, and ``docker_image`` /
``max_instances`` (sent in the payload as given). ``notify`` may be a list of addresses or
ciocore's ``{"emails": [...]}``. An unknown argument or a wrong type raises ``InputError``
naming it, as soon as ``Submit`` is created.

``main()`` builds the submission against the farm's catalogue, raises the first validation
error (a typed ``InputError``), and hands the payload to ``farm_link.submit_payload``.
"""

from typing import Any, Dict, Mapping, Optional, Tuple

from farmhand.api.conductor import farm_link
from farmhand.core.catalogue import Catalogue
from farmhand.core.errors import InputError
from farmhand.core.job import HostContext, Submission, build_submission, settings_from_dict
from farmhand.core.job.job_file import SETTING_NAMES, suggest_key

UPLOADER_ARGS = ("md5_caching", "enforced_md5s", "database_filepath")
PASS_THROUGH_ARGS = ("docker_image", "max_instances")
OWNER_ARG = "owner"
VALID_ARGS = SETTING_NAMES + UPLOADER_ARGS + PASS_THROUGH_ARGS + (OWNER_ARG,)


def _check_names(args: Mapping[str, Any]) -> None:
    for key in args:
        if key not in VALID_ARGS:
            raise InputError(
                "unknown submission argument{}; valid arguments: {}".format(
                    suggest_key(str(key), VALID_ARGS), ", ".join(VALID_ARGS)
                ),
                str(key),
            )


def _notify_list(value: Any) -> Any:
    """ciocore's ``{"emails": [...]}`` as the plain list the settings hold."""
    if isinstance(value, Mapping) and set(value) <= {"emails"}:
        return list(value.get("emails") or [])
    return value


class Submit(object):
    """One submission, built from the seed's ``args`` dict."""

    def __init__(self, args: Mapping[str, Any]) -> None:
        if not isinstance(args, Mapping):
            raise InputError(
                "expected a dict of submission arguments, got {}".format(type(args).__name__),
                "args",
            )
        _check_names(args)
        settings_args = {k: v for k, v in args.items() if k in SETTING_NAMES}
        if "notify" in settings_args:
            settings_args["notify"] = _notify_list(settings_args["notify"])
        self.settings = settings_from_dict(settings_args)
        self.upload_paths = list(self.settings.upload_paths)
        self.md5_caching = bool(args.get("md5_caching", True))
        self.enforced_md5s: Dict[str, str] = dict(args.get("enforced_md5s") or {})
        self.database_filepath = str(args.get("database_filepath") or "")
        owner = args.get(OWNER_ARG, "")
        if not isinstance(owner, str):
            raise InputError("expected a string, got {!r}".format(owner), OWNER_ARG)
        self.context = HostContext(owner=owner)
        self.extra: Dict[str, Any] = {k: args[k] for k in PASS_THROUGH_ARGS if k in args}
        self._submission: Optional[Submission] = None

    def build(self, catalogue: Optional[Catalogue] = None) -> Submission:
        """Resolve the job (frames, tasks, environment, uploads, validation), once.

        Without ``catalogue`` the default farm's catalogue is fetched (see ``farm_link``).
        """
        if self._submission is None:
            if catalogue is None:
                catalogue = farm_link.fetch_catalogue()
            self._submission = build_submission(self.settings, self.context, catalogue)
        return self._submission

    @property
    def payload(self) -> Dict[str, Any]:
        """The payload ``main()`` submits (built on first use)."""
        payload = self.build().to_payload()
        payload.update(self.extra)
        return payload

    def main(self) -> Tuple[Dict[str, Any], int]:
        """Build, validate (the first error is raised) and submit: ``(response, code)``."""
        submission = self.build().check()
        return farm_link.submit_payload(submission, self.extra)
