"""Digests of stored files: how a file's sha256 is computed and checked, and the error a file
that does not match it raises. Shared by every file store (a leaf: imports only errors)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from agenda.errors import StoreCorrupt

HASH_CHUNK = 1 << 20


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check_digest(sha256: str) -> str:
    """``sha256`` if it is a lower-case hex sha256 digest (it becomes a path or a key)."""
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a sha256 digest: {sha256!r}")
    return sha256


def corrupt(sha256: str, where: str) -> StoreCorrupt:
    return StoreCorrupt(
        f"The stored file {sha256[:12]}… ({where}) does not match its fingerprint, so it was "
        "not used.",
        hint="an operator should run 'boardclerk store check' and restore it from a backup",
    )
