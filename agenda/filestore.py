"""Content-addressed storage for papers and built packs.

Files are stored under their sha256 before the database row that points at them commits, so a
row never names a missing file; an orphan file (stored, row rolled back) is harmless and is
reused if the same bytes arrive again. :class:`FileStore` is the interface an S3-compatible
store would implement.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from agenda import settings


def data_dir() -> Path:
    """``$BOARDCLERK_DATA_DIR``, else ``./data``."""
    return settings.current().data_dir


def _umask() -> int:
    current = os.umask(0)  # the only way to read it is to set it: put it straight back
    os.umask(current)
    return current


def atomic_write(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` so that readers see the old file or the whole new one, never
    a part: a temporary file in the same folder (so the rename stays on one file system),
    flushed to disk, then renamed over the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); what we write for the clerk (packs, minutes)
        # gets the ordinary permissions of any file they save, under their umask.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FileStore(Protocol):
    def put(self, data: bytes) -> str:
        """Store ``data``; return its sha256. Idempotent."""

    def get(self, sha256: str) -> bytes: ...

    def path(self, sha256: str) -> Path:
        """A local path to the bytes (for LibreOffice and pypdf)."""

    def exists(self, sha256: str) -> bool: ...


class LocalFileStore:
    """Files under ``root/objects/ab/abcdef…``, written atomically (temp file + rename)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else data_dir()

    def _object_path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 digest: {sha256!r}")
        return self.root / "objects" / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        digest = sha256_of(data)
        target = self._object_path(digest)
        if target.exists():
            return digest
        atomic_write(target, data)
        return digest

    def get(self, sha256: str) -> bytes:
        return self._object_path(sha256).read_bytes()

    def path(self, sha256: str) -> Path:
        return self._object_path(sha256)

    def exists(self, sha256: str) -> bool:
        return self._object_path(sha256).exists()
