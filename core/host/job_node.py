"""A job node: the scene object that holds one job's settings (several per scene).

Every host stores the whole ``JobSettings`` as JSON in one string attribute
(``farmhand_settings``), which round-trips every field losslessly and survives settings added
in later versions. A host may also keep some settings as attributes of their own
(``mirrored_fields``), because its attribute editor, panel or parameter pane shows and edits
those directly; they are written with the JSON and, when read, win over it, since the artist
may have changed them in the host's own UI since the JSON was written.

Houdini keeps them as ROP parameters, Clarisse as attributes of its scripted class, Maya on a
node, Blender in a property group on the scene: each subclass implements only the reads and
writes of its attributes.
"""

import abc
import copy
import json
from dataclasses import asdict, is_dataclass
from typing import Any, Dict, Tuple

from farmhand.core.errors import InputError
from farmhand.core.host.errors import JobNodeError
from farmhand.core.job.job_file import SETTING_NAMES, settings_from_dict, settings_to_dict
from farmhand.core.job.settings import JobSettings

SETTINGS_ATTRIBUTE = "farmhand_settings"


class JobNode(abc.ABC):
    """One job node of a scene, as a host adapter wraps it."""

    #: Settings also stored as attributes of their own (``JobSettings`` field names).
    mirrored_fields: Tuple[str, ...] = ()

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """The node's name in the scene: the job's ``<job>`` and ``<submitter>``."""

    @abc.abstractmethod
    def read_text(self) -> str:
        """The settings attribute's text; empty when it was never written."""

    @abc.abstractmethod
    def write_text(self, text: str) -> None:
        """Store the settings attribute's text."""

    def read_mirrored(self) -> Dict[str, Any]:
        """The mirrored settings as the host holds them now (field name -> value, typed as
        ``JobSettings`` types them); only hosts with ``mirrored_fields`` override this."""
        return {}

    def write_mirrored(self, values: Dict[str, Any]) -> None:  # noqa: B027 (optional)
        """Store the mirrored settings (``mirrored_fields`` -> value, typed as ``JobSettings``
        types them: ``extra_environment`` is a list of ``EnvEntry``)."""

    def attribute_of(self, field: str) -> str:
        """The host attribute that mirrors ``field`` (Maya spells ``chunk_size`` as
        ``chunkSize``), so an error names what the artist sees."""
        return field

    def read_settings(self) -> JobSettings:
        """The node's settings; a node never written gives the defaults.

        Raises ``JobNodeError`` naming the node, the attribute and the setting at fault.
        """
        text = self.read_text()
        data: Dict[str, Any] = {}
        if text.strip():
            try:
                data = json.loads(text)
            except ValueError as error:
                raise JobNodeError(
                    self.name,
                    SETTINGS_ATTRIBUTE,
                    "holds text that is not JSON ({}); fix it or clear it to start over with "
                    "the defaults".format(error),
                ) from None
            if not isinstance(data, dict):
                raise JobNodeError(
                    self.name,
                    SETTINGS_ATTRIBUTE,
                    "holds JSON that is not an object of settings: {}".format(
                        _shorten(text.strip())
                    ),
                )
        mirrored = self.read_mirrored()
        for key in mirrored:
            if key not in SETTING_NAMES:
                raise JobNodeError(
                    self.name,
                    self.attribute_of(key),
                    "is mirrored but is not a setting; valid settings: " + ", ".join(SETTING_NAMES),
                )
        data.update({key: plain(value) for key, value in mirrored.items()})
        try:
            return settings_from_dict(data)
        except InputError as error:
            field = error.field or ""
            attribute = self.attribute_of(field) if field in mirrored else SETTINGS_ATTRIBUTE
            raise JobNodeError(self.name, attribute, error.message, field or None) from None

    def write_settings(self, settings: JobSettings) -> None:
        """Store ``settings``: the mirrored attributes, then the JSON (encoded before either
        is written, so a settings value that cannot be stored changes nothing)."""
        data = settings_to_dict(settings)
        text = json.dumps(data, sort_keys=True)
        mirrored = {key: copy.deepcopy(getattr(settings, key)) for key in self.mirrored_fields}
        self.write_mirrored(mirrored)
        self.write_text(text)

    def __repr__(self) -> str:
        return "<{} {!r}>".format(type(self).__name__, self.name)


def plain(value: Any) -> Any:
    """A mirrored value as a job file holds it (an ``EnvEntry`` as its dict), which is what
    ``settings_from_dict`` reads."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = ["SETTINGS_ATTRIBUTE", "JobNode"]
