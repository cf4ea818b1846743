"""A Clarisse job: one FarmhandJob item (an object of the scripted class) in the project.

The item is found by its full name (``project://scene/FarmhandJob1``) on every access, so a
deleted or renamed item gives an error naming it. Settings live in the hidden
``farmhand_settings`` attribute (JSON) and in the attributes of ``attributes.MIRRORED``, which
the artist edits in the attribute editor and which win over the JSON.
"""

from typing import Any, Dict

import ix

from farmhand.core.errors import InputError
from farmhand.core.host import HostError, JobNode, JobNodeError
from farmhand.core.host.job_node import SETTINGS_ATTRIBUTE
from farmhand.plugins.clarisse.attribute_values import checked, read_setting, write_setting
from farmhand.plugins.clarisse.attributes import MIRRORED, MIRRORED_FIELDS, attribute_of_field

CLASS_NAME = "FarmhandJob"


class ClarisseJobNode(JobNode):
    mirrored_fields = MIRRORED_FIELDS

    def __init__(self, full_name: str) -> None:
        self.full_name = full_name

    @property
    def name(self) -> str:
        return str(self.item().get_name())

    def item(self) -> Any:
        found = ix.get_item(self.full_name) if ix.item_exists(self.full_name) else None
        if found is None:
            raise HostError(
                "the FarmhandJob item {} is gone (deleted or renamed)".format(self.full_name),
                "job node",
            )
        return found

    def read_text(self) -> str:
        return str(self.item().get_attribute(SETTINGS_ATTRIBUTE).get_string())

    def write_text(self, text: str) -> None:
        self.item().get_attribute(SETTINGS_ATTRIBUTE).set_string(text)

    def attribute_of(self, field: str) -> str:
        try:
            return attribute_of_field(field).name
        except KeyError:
            return field

    def read_mirrored(self) -> Dict[str, Any]:
        """Always the attributes: an item made from Clarisse's New menu has never had its
        JSON written, but its attributes (the class defaults, then the artist's edits) are
        its settings."""
        item = self.item()
        values = {}
        for spec in MIRRORED:
            try:
                values[spec.field] = read_setting(item, spec)
            except InputError as error:
                raise JobNodeError(
                    self.name, error.field or spec.name, error.message, spec.field
                ) from None
        return values

    def write_mirrored(self, values: Dict[str, Any]) -> None:
        """Check every value first, so one an attribute cannot hold changes nothing."""
        specs = [(attribute_of_field(field), value) for field, value in values.items()]
        for spec, value in specs:
            checked(spec, value)
        item = self.item()
        for spec, value in specs:
            write_setting(item, spec, value)
