"""The farm's API key and signing secret: created on first start, readable only by their owner.

The key has the shape Conductor's client expects in ``CONDUCTOR_API_KEY`` (a JSON object with
``client_id`` and ``private_key``), so ``eval "$(farmhand farm credentials)"`` is all an
unmodified ciocore needs. The secret signs tokens and upload/download URLs; it never leaves
the machine.
"""

import getpass
import hmac
import json
import os
import secrets
import shlex
import socket
import stat
from dataclasses import dataclass

from farmhand.farm.errors import FarmStartError
from farmhand.farm.paths import FarmPaths


@dataclass(frozen=True)
class ApiKey:
    client_id: str
    private_key: str

    def to_json(self) -> str:
        return json.dumps({"client_id": self.client_id, "private_key": self.private_key})

    def matches(self, client_id: str, private_key: str) -> bool:
        """Constant-time comparison: a wrong key must not leak how much of it was right.
        Compared as UTF-8 bytes: ``compare_digest`` raises on non-ASCII text, which made a
        key with an accent an internal error instead of a refusal."""
        return hmac.compare_digest(
            self.client_id.encode("utf-8", "surrogatepass"),
            client_id.encode("utf-8", "surrogatepass"),
        ) & hmac.compare_digest(
            self.private_key.encode("utf-8", "surrogatepass"),
            private_key.encode("utf-8", "surrogatepass"),
        )


def account_id() -> str:
    """The single account of a local farm: its owner on this host."""
    return "{}@{}".format(getpass.getuser(), socket.gethostname().split(".")[0])


def _create_private(path: str, content: bytes) -> None:
    """Write ``content`` to ``path`` with mode 0600, or keep the file another process made first.

    The bytes go to a private temporary file that is hard-linked into place, so a reader never
    sees a half-written key and two farms starting at once agree on one key.
    """
    tmp = "{}.{}.tmp".format(path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)


def _read_private(path: str) -> bytes:
    info = os.stat(path)
    if info.st_uid != os.getuid():
        raise FarmStartError(
            "{} belongs to uid {}, not to this user (uid {}); refusing to use it".format(
                path, info.st_uid, os.getuid()
            )
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, 0o600)
    with open(path, "rb") as handle:
        return handle.read()


def load_or_create_api_key(paths: FarmPaths) -> ApiKey:
    if not os.path.exists(paths.api_key):
        key = ApiKey("farmhand-" + secrets.token_hex(8), secrets.token_urlsafe(32))
        _create_private(paths.api_key, key.to_json().encode("utf-8"))
    raw = _read_private(paths.api_key)
    try:
        data = json.loads(raw.decode("utf-8"))
        return ApiKey(str(data["client_id"]), str(data["private_key"]))
    except (ValueError, KeyError, TypeError) as error:
        raise FarmStartError(
            "{} is not a valid API key file ({}); delete it to create a new key".format(
                paths.api_key, error
            )
        ) from None


def load_or_create_secret(paths: FarmPaths) -> bytes:
    if not os.path.exists(paths.secret):
        _create_private(paths.secret, secrets.token_hex(32).encode("ascii"))
    secret = _read_private(paths.secret).strip()
    if len(secret) < 32:
        raise FarmStartError(
            "{} holds a secret of {} bytes; delete it to create a new one".format(
                paths.secret, len(secret)
            )
        )
    return secret


def shell_lines(url: str, key: ApiKey) -> str:
    """``CONDUCTOR_URL=...; export CONDUCTOR_URL`` and the same for ``CONDUCTOR_API_KEY``,
    quoted for ``eval`` (``ssh-agent``'s form): without the export, the Conductor tools that
    ``eval`` is run for (child processes) would not see the variables."""
    return "".join(
        "{0}={1}; export {0}\n".format(name, shlex.quote(value))
        for name, value in (("CONDUCTOR_URL", url), ("CONDUCTOR_API_KEY", key.to_json()))
    )
