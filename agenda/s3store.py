"""The file store on any S3 API (AWS, MinIO, Ceph, a gateway), for deployments on more than
one host or on disks that do not last.

Same content-addressed layout as the local store (``prefix/objects/ab/abcdef…``). A put sends
the sha256 with the object, so the server refuses bytes that arrive damaged, and then asks the
server for what it holds before returning: only then may the caller commit the row that names
it. LibreOffice and pypdf need paths, so reads go through :class:`LocalCache`, a bounded
directory on local disk that can be lost at any moment without losing anything.

Endpoint, region, credentials and retries are boto3's own settings (AWS_ENDPOINT_URL,
AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_MAX_ATTEMPTS, ...).
"""

from __future__ import annotations

import base64
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from agenda.digests import check_digest, corrupt, sha256_of, sha256_of_file
from agenda.errors import InvalidInput, StoreCorrupt, StoreUnavailable

log = logging.getLogger(__name__)

# A cached file handed out as a path is not evicted for this long, so a pack build holding the
# paths of all its papers never finds one gone, whatever the bound.
IN_USE_GRACE_SECONDS = 15 * 60
NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


def unavailable(err: Exception) -> StoreUnavailable:
    log.warning("object store error: %s", err)
    return StoreUnavailable(
        "The file store is not answering just now, so nothing was saved.",
        hint="please try again in a few minutes",
    )


def _not_found(err: ClientError) -> bool:
    return str(err.response.get("Error", {}).get("Code")) in NOT_FOUND


@contextmanager
def answering() -> Iterator[None]:
    """Turn the store's failures (unreachable, 5xx, throttling, refused) into StoreUnavailable;
    a missing object is left to the caller as ClientError."""
    try:
        yield
    except ClientError as err:
        if _not_found(err):
            raise
        raise unavailable(err) from err
    except BotoCoreError as err:
        raise unavailable(err) from err


class LocalCache:
    """Checked copies of objects under ``root/ab/abcdef…``, at most about ``max_bytes``, least
    recently used first out. Writes are atomic, so processes may share the directory."""

    def __init__(
        self, root: Path, max_bytes: int, *, in_use_seconds: float = IN_USE_GRACE_SECONDS
    ) -> None:
        self.root, self.max_bytes, self.in_use_seconds = root, max_bytes, in_use_seconds

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def lookup(self, sha256: str) -> Path | None:
        """The cached copy if it is there and whole; a damaged copy is dropped."""
        path = self._path(sha256)
        try:
            if sha256_of_file(path) != sha256:
                log.warning("dropping a damaged cached copy of %s", sha256)
                path.unlink(missing_ok=True)
                return None
            os.utime(path)  # recently used
        except FileNotFoundError:
            return None
        return path

    def add(self, sha256: str, data: bytes) -> Path:
        target = self._path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.evict(keep=target)
        return target

    def evict(self, keep: Path | None = None) -> None:
        entries = []
        for path in self.root.glob("??/*"):
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            entries.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in entries)
        cutoff = time.time() - self.in_use_seconds
        for mtime, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            if path == keep or mtime >= cutoff:
                continue
            path.unlink(missing_ok=True)
            total -= size


class S3FileStore:
    def __init__(
        self,
        bucket: str,
        prefix: str,
        *,
        cache: LocalCache,
        endpoint_url: str | None = None,
        client: Any | None = None,
    ) -> None:
        self.bucket, self.prefix, self.cache = bucket, prefix.strip("/"), cache
        self.client = client or boto3.client(
            "s3",
            endpoint_url=endpoint_url,  # None: AWS itself (or boto3's own AWS_ENDPOINT_URL)
            # Retry attempts come from AWS_MAX_ATTEMPTS; "standard" retries 500/503 and
            # throttling with backoff. Short connect timeout: an author is waiting.
            config=Config(retries={"mode": "standard"}, connect_timeout=5, read_timeout=60),
        )

    @classmethod
    def from_url(
        cls, url: str, *, cache_dir: Path, cache_bytes: int, endpoint_url: str | None = None
    ) -> S3FileStore:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise InvalidInput(f"BOARDCLERK_STORE must look like s3://bucket/prefix, not {url!r}.")
        cache = LocalCache(cache_dir, cache_bytes)
        return cls(parts.netloc, parts.path, cache=cache, endpoint_url=endpoint_url)

    def key(self, sha256: str) -> str:
        tail = f"objects/{check_digest(sha256)[:2]}/{sha256}"
        return f"{self.prefix}/{tail}" if self.prefix else tail

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def _stored_digest(self, sha256: str) -> tuple[int, str | None] | None:
        """(size, sha256 the server holds for it) or None if there is no such object."""
        try:
            with answering():
                head = self.client.head_object(
                    Bucket=self.bucket, Key=self.key(sha256), ChecksumMode="ENABLED"
                )
        except ClientError:  # not found (anything else became StoreUnavailable)
            return None
        checksum = head.get("ChecksumSHA256")
        held = base64.b64decode(checksum).hex() if checksum else None
        return int(head["ContentLength"]), held or head.get("Metadata", {}).get("sha256")

    def put(self, data: bytes, *, keep_local: bool = True) -> str:
        digest = sha256_of(data)
        if self._stored_digest(digest) != (len(data), digest):
            with answering():
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=self.key(digest),
                    Body=data,
                    # The server checks the bytes against this and refuses a damaged upload.
                    ChecksumSHA256=base64.b64encode(bytes.fromhex(digest)).decode(),
                    Metadata={"sha256": digest},
                )
            stored = self._stored_digest(digest)
            if stored != (len(data), digest):
                log.error("object %s not held after put: %s", digest, stored)
                raise unavailable(RuntimeError(f"{digest} not held after put"))
        if keep_local:  # written now, usually read back at once (the pack's path, say)
            self.cache.add(digest, data)
        return digest

    def _download(self, sha256: str) -> bytes:
        """The object's bytes from the store itself, checked against the digest."""
        try:
            with answering():
                response = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
                data: bytes = response["Body"].read()
        except ClientError as err:
            raise FileNotFoundError(f"{self.describe()}/{self.key(sha256)}") from err
        if sha256_of(data) != sha256:
            log.error("object %s in %s does not match its digest", sha256, self.describe())
            raise corrupt(sha256, self.describe())
        return data

    def path(self, sha256: str) -> Path:
        cached = self.cache.lookup(check_digest(sha256))
        return cached or self.cache.add(sha256, self._download(sha256))

    def get(self, sha256: str) -> bytes:
        # Bytes wanted in memory (exports, copies, downloads) are not worth a cache entry.
        cached = self.cache.lookup(check_digest(sha256))
        if cached is not None:
            data = cached.read_bytes()
            if sha256_of(data) == sha256:  # not replaced since lookup checked it
                return data
        return self._download(sha256)

    def exists(self, sha256: str) -> bool:
        return self._stored_digest(sha256) is not None

    def digests(self) -> Iterator[str]:
        start = f"{self.prefix}/objects/" if self.prefix else "objects/"
        with answering():
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=start
            )
            for page in pages:
                for obj in page.get("Contents", []):
                    name = obj["Key"].rsplit("/", 1)[-1]
                    if len(name) == 64:
                        yield name

    def verify(self, sha256: str) -> bool | None:
        """Fetch the object and check it: True, False (damaged), None (missing). Not cached."""
        try:
            self._download(sha256)
        except FileNotFoundError:
            return None
        except StoreCorrupt:
            return False
        return True
