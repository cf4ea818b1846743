"""API keys in the shape Conductor's client reads: ``{"client_id", "private_key"}`` as JSON,
or base64 of that JSON, from ``CONDUCTOR_API_KEY`` or the file ``CONDUCTOR_API_KEY_PATH``.

Errors name where the key came from and its ``client_id`` (never the private key), so a user
with several farms knows which key a farm refused.
"""

import base64
import binascii
import json
import os
from typing import Any, Mapping, NamedTuple, Optional, Union

from farmhand.core.errors import InputError


class ApiKey(NamedTuple):
    client_id: str
    private_key: str
    source: str  # "CONDUCTOR_API_KEY", a file path, "the local farm"...

    def __repr__(self) -> str:  # keep the secret out of logs and tracebacks
        return "ApiKey(client_id={!r}, source={!r})".format(self.client_id, self.source)


def parse_api_key(value: Union[str, bytes, Mapping[str, Any]], source: str) -> ApiKey:
    """Accept a mapping, JSON text or base64 of JSON text."""
    data: Any = value
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        text = value.strip()
        try:
            data = json.loads(text)
        except ValueError:
            try:
                data = json.loads(base64.b64decode(text, validate=False).decode("utf-8"))
            except (ValueError, binascii.Error, UnicodeDecodeError):
                raise InputError(
                    "the API key from {} is neither JSON nor base64-encoded JSON".format(source),
                    field="api_key",
                ) from None
    if not isinstance(data, Mapping):
        raise InputError(
            "the API key from {} must be a JSON object with client_id and private_key".format(
                source
            ),
            field="api_key",
        )
    missing = [k for k in ("client_id", "private_key") if not isinstance(data.get(k), str)]
    if missing:
        raise InputError(
            "the API key from {} lacks {}".format(source, " and ".join(missing)),
            field="api_key",
        )
    return ApiKey(str(data["client_id"]), str(data["private_key"]), source)


def api_key_from_environment(environ: Optional[Mapping[str, str]] = None) -> Optional[ApiKey]:
    """``CONDUCTOR_API_KEY`` (inline) or ``CONDUCTOR_API_KEY_PATH`` (a file), else ``None``."""
    env = os.environ if environ is None else environ
    inline = env.get("CONDUCTOR_API_KEY")
    if inline:
        return parse_api_key(inline, "CONDUCTOR_API_KEY")
    path = env.get("CONDUCTOR_API_KEY_PATH")
    if path:
        try:
            with open(path, "rb") as handle:
                content = handle.read()
        except OSError as error:
            raise InputError(
                "cannot read the API key file {!r} named by CONDUCTOR_API_KEY_PATH: {}".format(
                    path, error.strerror or error
                ),
                field="api_key",
            ) from None
        return parse_api_key(content, path)
    return None
