"""The errors a host adapter raises on purpose.

They are ``InputError``s because the scene is the submitter's input: the shared submitter
shows an ``InputError`` under its buttons instead of letting it escape into the host, and the
CLI prints it on one line. Each names what it is about (the job node, the attribute, the scene
item), so the artist knows where to look.
"""

from typing import Optional, Sequence

from farmhand.core.errors import InputError


class HostError(InputError):
    """The scene cannot give what the job needs: an unsaved scene, a job node that is gone, a
    host call that failed while reading the scene."""


class JobNodeError(HostError):
    """A job node whose stored settings cannot be read; names the node and the attribute.

    ``setting`` is the ``JobSettings`` field at fault when one is (``chunk_size``...).
    """

    def __init__(
        self, node: str, attribute: str, message: str, setting: Optional[str] = None
    ) -> None:
        self.node = node
        self.attribute = attribute
        self.setting = setting
        where = "job node {!r}, attribute {}".format(node, attribute)
        if setting and setting != attribute:
            where += ", setting {}".format(setting)
        super().__init__(message, where)


def unknown_node(name: str, node_type: str, names: Sequence[str]) -> HostError:
    """The error for a job node name the scene does not hold, listing the ones it does."""
    return HostError(
        "no {} named {!r} in this scene; job nodes: {}".format(
            node_type, name, ", ".join(repr(n) for n in names) or "(none)"
        ),
        "job node",
    )
