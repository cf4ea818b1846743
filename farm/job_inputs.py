"""Puts a job's uploaded files where its tasks look for them, before any task starts.

Every file is linked under ``inputs/<jid>/<destination>`` (``$FARMHAND_INPUTS``), and a
destination that no longer exists on this machine is restored from the store, so a job
renders what was uploaded even if the original file moved away. Runs in a worker thread:
linking thousands of files must not hold up the event loop.
"""

import logging
import os
from typing import Sequence, Tuple

from farmhand.farm.store import BlobStore

log = logging.getLogger("farmhand.farm")


def place_inputs(
    store: BlobStore, inputs_dir: str, jid: str, uploads: Sequence[Tuple[str, str]]
) -> None:
    """``uploads`` is ``[(md5, destination)]``; a destination that cannot be restored is
    logged and skipped (the task reads it from ``$FARMHAND_INPUTS`` instead)."""
    for md5, destination in uploads:
        # Normalised from the root first, so no '..' can lead out of the inputs folder.
        target = os.path.join(inputs_dir, os.path.normpath("/" + destination).lstrip("/"))
        if not os.path.exists(target):
            store.link_or_copy(md5, target, allow_link=True)
        if os.path.isabs(destination) and not os.path.lexists(destination):
            try:
                store.link_or_copy(md5, destination, allow_link=False)
            except OSError as error:
                log.warning("job %s: cannot restore %s: %s", jid, destination, error)
