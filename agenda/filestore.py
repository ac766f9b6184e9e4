"""Content-addressed storage for papers, built packs and minutes.

Files are stored under their sha256 before the database row that points at them commits, so a
row never names a missing file; an orphan file (stored, row rolled back) is harmless and is
reused if the same bytes arrive again. Every read checks the bytes against the digest they are
stored under: a file that does not match raises :class:`~agenda.errors.StoreCorrupt` and is
never handed on (rendered, published or sent).

Two stores implement :class:`FileStore`: :class:`LocalFileStore` (one host, the default) and
:class:`agenda.s3store.S3FileStore` (any S3 API; several hosts). :func:`open_store` picks one
from the environment and is what every process calls.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from agenda import settings
from agenda.digests import check_digest, corrupt, sha256_of, sha256_of_file
from agenda.errors import InvalidInput


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


class FileStore(Protocol):
    def put(self, data: bytes, *, keep_local: bool = True) -> str:
        """Store ``data`` and confirm it is stored whole; return its sha256. Idempotent.
        Raises StoreUnavailable when the store cannot take it (nothing to record then).
        ``keep_local=False``: a bulk copy, not to be kept in a local read cache."""

    def get(self, sha256: str) -> bytes:
        """The bytes, checked against ``sha256`` (StoreCorrupt if they differ)."""

    def path(self, sha256: str) -> Path:
        """A local path to the checked bytes (for LibreOffice and pypdf)."""

    def exists(self, sha256: str) -> bool: ...

    def verify(self, sha256: str) -> bool | None:
        """Check the stored object itself, never a cached copy: True if whole, False if its
        bytes do not match, None if it is missing."""

    def digests(self) -> Iterator[str]:
        """Every stored digest (for migration and checks)."""

    def describe(self) -> str:
        """Where the files are, for operators (never credentials)."""


class LocalFileStore:
    """Files under ``root/objects/ab/abcdef…``, written atomically (temp file + rename)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else data_dir()

    def _object_path(self, sha256: str) -> Path:
        return self.root / "objects" / check_digest(sha256)[:2] / sha256

    def put(self, data: bytes, *, keep_local: bool = True) -> str:
        digest = sha256_of(data)
        target = self._object_path(digest)
        if target.exists() and sha256_of_file(target) == digest:
            return digest  # a damaged copy is replaced by the good bytes arriving again
        atomic_write(target, data)
        return digest

    def get(self, sha256: str) -> bytes:
        data = self._object_path(sha256).read_bytes()
        if sha256_of(data) != sha256:
            raise corrupt(sha256, self.describe())
        return data

    def path(self, sha256: str) -> Path:
        path = self._object_path(sha256)
        if path.exists() and sha256_of_file(path) != sha256:
            raise corrupt(sha256, self.describe())
        return path

    def exists(self, sha256: str) -> bool:
        return self._object_path(sha256).exists()

    def verify(self, sha256: str) -> bool | None:
        try:
            return sha256_of_file(self._object_path(sha256)) == sha256
        except FileNotFoundError:
            return None

    def digests(self) -> Iterator[str]:
        for path in sorted((self.root / "objects").glob("??/*")):
            if not path.name.startswith(".") and len(path.name) == 64:
                yield path.name

    def describe(self) -> str:
        return str(self.root / "objects")


# --------------------------------------------------------------------------------------------
# Choosing the store


def open_store(config: settings.Settings | None = None) -> FileStore:
    """The store every process uses: S3 when ``BOARDCLERK_STORE=s3://…``, else local files
    under ``BOARDCLERK_DATA_DIR``."""
    config = config or settings.current()
    url = config.store_url
    if not url:
        return LocalFileStore(config.data_dir)
    if url.startswith("s3://"):
        from agenda.s3store import S3FileStore  # boto3 only where S3 is used

        return S3FileStore.from_url(
            url,
            cache_dir=config.store_cache_dir or config.data_dir / "store-cache",
            cache_bytes=int(config.store_cache_mb * 2**20),
            endpoint_url=config.s3_endpoint_url,
        )
    raise InvalidInput(
        f"BOARDCLERK_STORE must be s3://bucket/prefix (or empty for local files), not {url!r}."
    )
