"""Verified uploads reach their store name only once their bytes are on disk, in batches.

The store's promise is that a file under ``store/<hex[:2]>/<hex>`` is whole and has that
md5, after any crash, power loss included: dedupe trusts the name forever. A rename is
atomic, but without an fsync before it a power loss can leave the new name on an empty or
partial file. Fsyncing each upload before answering it is what made uploads slow (1 GiB
waited for the disk; 10,000 small files paid a journal commit each), so the order is:

1. the upload is received into ``store/tmp`` and verified (md5, size): the client gets its
   answer now, and the file is *landing*: ``BlobStore.has`` counts it (the client is not
   asked for it again);
2. a background thread takes every landing file at once, makes their bytes durable (one
   ``syncfs`` for a batch, or an ``fsync`` each for a few), renames them to their store
   names and makes the renames durable (fsync of the folders);
3. anything that records a dependency on a file (a job submitted with it, an upload daemon
   reporting it sent) first waits until it has landed (``BlobStore.settled``).

A crash before step 2 ends loses only landing files (``store/tmp`` is emptied on start) and
no job can name them, since its submit was still waiting: the client is asked for them
again. A crash during the SIGKILL of the farm loses nothing, the page cache survives it.
Big uploads start their writeback while they arrive (``disk_sync.start_writeback``), so the
fsync of step 2 finds little left to write.
"""

import logging
import os
import threading
import time
from typing import Callable, Dict, List, Optional, Set, Tuple

from farmhand.farm import disk_sync

log = logging.getLogger("farmhand.farm")

# From this many files (or folders) on, one syncfs beats an fsync each.
SYNCFS_FROM = 8
# During a burst of uploads (a batch landed less than BURST ago) the lander gathers files
# for up to WINDOW before landing them, or until it has BATCH of them: every batch costs
# journal commits, which also stall the creation of the next uploads' files. A file that
# arrives alone lands at once.
WINDOW = 0.01
BURST = 0.05
BATCH = 256

Item = Tuple[str, str]  # (md5 hex, temporary path)


class Lander:
    def __init__(self, root: str, final_path: Callable[[str], str], background: bool) -> None:
        self.root = root
        self.final_path = final_path
        self.background = background
        self._lock = threading.Lock()
        self._wakeup = threading.Condition(self._lock)
        self._queue: List[Item] = []
        self._landing: Dict[str, str] = {}
        self._waiters: List[Tuple[Set[str], Callable[[], None]]] = []
        self._thread: Optional[threading.Thread] = None
        self._closed = False

    def is_landing(self, hex_digest: str) -> bool:
        with self._lock:
            return hex_digest in self._landing

    def idle(self) -> bool:
        with self._lock:
            return not self._landing

    def land(self, hex_digest: str, tmp_path: str) -> bool:
        """Queue a verified file; False (nothing queued) when that content is already
        landing or stored: the caller discards its copy."""
        with self._lock:
            if hex_digest in self._landing or os.path.exists(self.final_path(hex_digest)):
                return False
            self._landing[hex_digest] = tmp_path
            if not self.background or self._closed:  # (closed: a straggler lands at once)
                batch = [(hex_digest, tmp_path)]
            else:
                self._queue.append((hex_digest, tmp_path))
                self._start()
                if len(self._queue) in (1, BATCH):
                    self._wakeup.notify()
                return True
        self._land(batch)
        return True

    def when_landed(self, hexes: Set[str], callback: Callable[[], None]) -> None:
        """Call ``callback`` (from the lander's thread, or now) once none of ``hexes`` is
        landing any more, whether it landed or failed to."""
        with self._lock:
            remaining = {h for h in hexes if h in self._landing}
            if remaining:
                self._waiters.append((remaining, callback))
                return
        callback()

    def close(self) -> None:
        """Land what is queued, then stop the thread (the farm is stopping)."""
        with self._lock:
            self._closed = True
            self._wakeup.notify()
            thread = self._thread
        if thread is not None:
            thread.join()

    # -- the lander's thread ----------------------------------------------------------------

    def _start(self) -> None:
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(target=self._run, name="farm-store-lander", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        landed_at = 0.0
        while True:
            with self._lock:
                while not self._queue and not self._closed:
                    self._wakeup.wait()
                if time.monotonic() - landed_at < BURST:
                    deadline = time.monotonic() + WINDOW
                    while len(self._queue) < BATCH and not self._closed:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            break
                        self._wakeup.wait(left)
                if not self._queue:
                    return
                batch, self._queue = self._queue, []
            try:
                self._land(batch)
            except Exception:  # noqa: BLE001 - the thread must outlive one bad batch
                log.exception("landing %d uploaded file(s) failed", len(batch))
            landed_at = time.monotonic()

    def _land(self, batch: List[Item]) -> None:
        """Bytes durable, then names, then names durable; then tell the waiters."""
        failed: Set[str] = set()
        try:
            self._store(batch, failed)
        finally:
            for hex_digest, tmp in batch:
                if hex_digest in failed:
                    disk_sync.unlink_quietly(tmp)
            self._publish([h for h, _ in batch])

    def _store(self, batch: List[Item], failed: Set[str]) -> None:
        self._sync_files(batch, failed)
        folders: Set[str] = set()
        for hex_digest, tmp in batch:
            if hex_digest in failed:
                continue
            final = self.final_path(hex_digest)
            folder = os.path.dirname(final)
            try:
                if not os.path.isdir(folder):
                    os.makedirs(folder, exist_ok=True)
                    folders.add(self.root)  # the new folder's own entry
                os.chmod(tmp, 0o400)  # owner-only; tasks get hard links: no writing through
                os.replace(tmp, final)
                folders.add(folder)
            except OSError as error:
                log.error("cannot store upload %s: %s", hex_digest, error)
                failed.add(hex_digest)
        try:
            self._sync_folders(folders)
        except OSError as error:  # the files are whole; only their names may not last
            log.error("cannot make the store's new names durable: %s", error)

    def _sync_files(self, batch: List[Item], failed: Set[str]) -> None:
        if len(batch) >= SYNCFS_FROM and disk_sync.has_syncfs():
            try:
                disk_sync.syncfs(self.root)
                return
            except OSError as error:
                log.warning("syncfs failed (%s); syncing the files one by one", error)
        for hex_digest, tmp in batch:
            try:
                disk_sync.fsync_path(tmp)
            except OSError as error:
                log.error("cannot make upload %s durable: %s", hex_digest, error)
                failed.add(hex_digest)

    def _sync_folders(self, folders: Set[str]) -> None:
        if len(folders) >= SYNCFS_FROM and disk_sync.has_syncfs():
            disk_sync.syncfs(self.root)
            return
        for folder in sorted(folders, key=len, reverse=True):  # children before parents
            disk_sync.fsync_path(folder)

    def _publish(self, hexes: List[str]) -> None:
        callbacks = []
        with self._lock:
            for hex_digest in hexes:
                self._landing.pop(hex_digest, None)
            done = set(hexes)
            keep = []
            for remaining, callback in self._waiters:
                remaining -= done
                if remaining:
                    keep.append((remaining, callback))
                else:
                    callbacks.append(callback)
            self._waiters = keep
        for callback in callbacks:
            callback()
