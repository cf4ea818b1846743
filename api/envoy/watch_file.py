"""``WatchFile``: results whose remote path matches a regular expression are downloaded to a
local folder (through the site's path mapping, like every local path of the seed's API)."""

import re
from typing import Any, Dict, Pattern

from farmhand.api.envoy.errors import InvalidRequestError
from farmhand.core.path_mapping import PathMapError, local_path


def mapped_local_path(path: str, field: str) -> str:
    """``path`` as this machine names it (``core.path_mapping``); a path no rule maps, or a
    bad rule, is the seed's ``InvalidRequestError`` naming ``field``."""
    try:
        return local_path(path, field)
    except PathMapError as error:
        if error.field == field:
            raise InvalidRequestError(error.message, field=field) from None
        # a bad rule: where it came from, and which value needed it
        raise InvalidRequestError(
            "{} cannot be mapped: {}".format(path, error), field=field
        ) from None


class WatchFile(object):
    """``WatchFile(r"/proj/render_results/.+", "/home/me/results")``.

    The pattern must match a result's whole remote path (forward slashes, from the project's
    remote root: ``/<project>/render_results/<folder>/<job>/beauty.0001.png``). A matching
    file is written under ``download_path`` at its path below the pattern's fixed leading
    folder (``/proj/render_results/`` here), so the result folders are kept.
    """

    def __init__(self, output_pattern: str, download_path: str) -> None:
        if not isinstance(output_pattern, str) or not output_pattern:
            raise InvalidRequestError(
                "expected a regular expression, got {!r}".format(output_pattern),
                field="output_pattern",
            )
        try:
            self.regex: Pattern[str] = re.compile(output_pattern)
        except re.error as error:
            raise InvalidRequestError(
                "{!r} is not a regular expression ({})".format(output_pattern, error),
                field="output_pattern",
            ) from None
        if not isinstance(download_path, str) or not download_path:
            raise InvalidRequestError(
                "expected a folder path, got {!r}".format(download_path), field="download_path"
            )
        self.output_pattern = output_pattern
        self.download_path = mapped_local_path(download_path, "download_path")

    @property
    def serialize(self) -> Dict[str, str]:
        """The seed's wire form: ``{pattern: download path}``."""
        return {self.output_pattern: self.download_path}

    def matches(self, remote_path: str) -> bool:
        return self.regex.fullmatch(remote_path) is not None

    def base(self) -> str:
        """The pattern's fixed leading folder (what precedes its first special character)."""
        literal = []
        for char in self.output_pattern:
            if char in ".^$*+?{}[]\\|()":
                break
            literal.append(char)
        text = "".join(literal)
        return text[: text.rfind("/") + 1] if "/" in text else ""

    def local_path(self, remote_path: str) -> str:
        """Where a matching result goes (``download_path`` + its path below ``base()``)."""
        import os

        base = self.base()
        rest = remote_path[len(base) :] if base and remote_path.startswith(base) else remote_path
        parts = [p for p in rest.split("/") if p not in ("", ".", "..")]
        return os.path.join(self.download_path, *parts)

    def to_json(self) -> Dict[str, Any]:
        return {"output_pattern": self.output_pattern, "download_path": self.download_path}

    def __repr__(self) -> str:
        return "WatchFile({!r}, {!r})".format(self.output_pattern, self.download_path)
