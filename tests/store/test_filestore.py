"""The file store, run the same way against local files and against a real S3 API on loopback
(moto's server): what goes in comes out whole, damaged bytes are never handed on, and a store
that is down says so without half-storing anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agenda.errors import ConfigError, InvalidInput, StoreCorrupt, StoreUnavailable
from agenda.filestore import FileStore, LocalFileStore, open_store, sha256_of
from agenda.s3store import LocalCache, S3FileStore
from agenda.settings import Settings
from tests.support.s3server import S3, closed_port


def damage(store: FileStore, digest: str, s3: S3 | None) -> None:
    """Replace the stored bytes behind the store's back, as bit rot or a bad restore would."""
    if isinstance(store, S3FileStore):
        assert s3 is not None
        s3.overwrite(store.key(digest), b"not the paper any more")
        shutil.rmtree(store.cache.root)
    else:
        assert isinstance(store, LocalFileStore)
        store.path(digest).write_bytes(b"not the paper any more")


def test_what_is_stored_comes_back_whole_by_its_digest(store: FileStore) -> None:
    data = b"%PDF-1.7 a paper"
    digest = store.put(data)
    assert digest == sha256_of(data)
    assert store.put(data) == digest  # idempotent
    assert store.exists(digest) and store.get(digest) == data
    assert store.path(digest).read_bytes() == data
    assert not store.exists(sha256_of(b"never stored"))
    assert list(store.digests()) == [digest]


def test_a_file_whose_bytes_do_not_match_its_digest_is_reported_not_used(
    store: FileStore, request: pytest.FixtureRequest
) -> None:
    digest = store.put(b"the real paper")
    s3 = request.getfixturevalue("s3") if isinstance(store, S3FileStore) else None
    damage(store, digest, s3)
    with pytest.raises(StoreCorrupt, match="does not match its fingerprint"):
        store.get(digest)
    with pytest.raises(StoreCorrupt):
        store.path(digest)


def test_reading_a_missing_object_says_it_is_missing(store: FileStore) -> None:
    with pytest.raises(FileNotFoundError):
        store.get(sha256_of(b"never stored"))


def test_the_factory_picks_the_store_from_the_environment(tmp_path: Path, s3: S3) -> None:
    local = open_store(Settings.from_env({"BOARDCLERK_DATA_DIR": str(tmp_path)}))
    assert isinstance(local, LocalFileStore) and local.root == tmp_path
    remote = open_store(Settings.from_env({"BOARDCLERK_DATA_DIR": str(tmp_path), **s3.env}))
    assert isinstance(remote, S3FileStore)
    assert remote.describe() == s3.url and remote.cache.root == tmp_path / "store-cache"
    with pytest.raises(InvalidInput, match="s3://bucket/prefix"):
        open_store(Settings.from_env({"BOARDCLERK_STORE": "ftp://files"}))
    with pytest.raises(ConfigError, match="BOARDCLERK_STORE_CACHE_MB"):
        Settings.from_env({"BOARDCLERK_STORE_CACHE_MB": "lots"})


# -- S3 only: the cache, and faults ----------------------------------------------------------


@pytest.fixture
def s3_store(s3: S3, tmp_path: Path) -> S3FileStore:
    store = open_store(Settings.from_env({"BOARDCLERK_DATA_DIR": str(tmp_path / "host"), **s3.env}))
    assert isinstance(store, S3FileStore)
    return store


def test_s3_objects_use_the_content_addressed_layout(s3_store: S3FileStore, s3: S3) -> None:
    digest = s3_store.put(b"layout")
    assert s3.object_keys() == [f"boardclerk/objects/{digest[:2]}/{digest}"]


def test_losing_the_cache_loses_nothing(s3_store: S3FileStore, tmp_path: Path, s3: S3) -> None:
    digest = s3_store.put(b"kept in the bucket")
    shutil.rmtree(s3_store.cache.root)
    assert s3_store.path(digest).read_bytes() == b"kept in the bucket"
    # Another host, with an empty disk of its own, reads it too.
    other = open_store(
        Settings.from_env({"BOARDCLERK_DATA_DIR": str(tmp_path / "other"), **s3.env})
    )
    assert other.get(digest) == b"kept in the bucket"


def test_a_damaged_cached_copy_is_fetched_again(s3_store: S3FileStore) -> None:
    digest = s3_store.put(b"the bucket is right")
    s3_store.path(digest).write_bytes(b"the disk is wrong")
    assert s3_store.get(digest) == b"the bucket is right"


def test_the_cache_stays_within_its_bound(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "cache", max_bytes=3000, in_use_seconds=0)
    for n in range(10):
        cache.add(sha256_of(bytes([n])), bytes(1000))
    held = sum(p.stat().st_size for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert held <= 3000


def test_the_cache_never_evicts_a_path_still_in_use(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "cache", max_bytes=1000)  # default grace period
    paths = [cache.add(sha256_of(bytes([n])), bytes(1000)) for n in range(5)]
    assert all(p.exists() for p in paths)  # over the bound for now; the build needs them all


@pytest.mark.parametrize("status", [500, 503])
def test_a_put_while_s3_answers_server_errors_stores_nothing(
    s3_store: S3FileStore, s3: S3, status: int
) -> None:
    with s3.failing(status), pytest.raises(StoreUnavailable, match="try again"):
        s3_store.put(b"a paper")
    assert s3.object_keys() == []
    assert s3_store.put(b"a paper") == sha256_of(b"a paper")  # fine once it is back


def test_a_put_while_s3_is_unreachable_says_try_again(tmp_path: Path, s3: S3) -> None:
    env = {**s3.env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed_port()}"}
    store = open_store(Settings.from_env({"BOARDCLERK_DATA_DIR": str(tmp_path), **env}))
    with pytest.raises(StoreUnavailable, match="try again"):
        store.put(b"a paper")
    assert s3.object_keys() == []
