"""A real S3 API on loopback for tests: moto's standalone server in a thread, with a switch
that makes it answer 500/503 (as a struggling object store does) or stop answering at all.

The fault sits in front of the server, on the HTTP side: boto3 and our store see a real
response, exactly as in production. Nothing here replaces a client.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

# Dummy credentials for the loopback server; boto3 signs with them, moto accepts any.
S3_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": "eu-west-2",
    "AWS_DEFAULT_REGION": "eu-west-2",
    "AWS_MAX_ATTEMPTS": "2",  # retries with backoff still happen, but tests stay quick
}
FAULT_BODY = (
    b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
    b"<Message>injected by the test</Message></Error>"
)

StartResponse = Callable[..., Any]


@dataclass
class Faults:
    """What the server does to the next requests: answer ``status`` (0 = behave)."""

    status: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: int = 0

    def app(self, inner: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
        def wrapped(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            with self.lock:
                self.seen += 1
                status = self.status
            if not status:
                return inner(environ, start_response)
            code = b"SlowDown" if status == 503 else b"InternalError"
            environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            reason = "Service Unavailable" if status == 503 else "Internal Server Error"
            start_response(f"{status} {reason}", [("Content-Type", "application/xml")])
            return [FAULT_BODY.replace(b"{code}", code)]

        return wrapped


class FaultyMotoServer(ThreadedMotoServer):
    def __init__(self) -> None:
        super().__init__("127.0.0.1", 0, verbose=False)
        self.faults = Faults()

    def _server_entry(self) -> None:
        app = self.faults.app(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()

    @property
    def endpoint(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"


@dataclass
class S3:
    """One running server and one fresh bucket; ``env`` is what a process needs to use it."""

    server: FaultyMotoServer
    bucket: str

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/boardclerk"

    @property
    def env(self) -> dict[str, str]:
        return {
            **S3_ENV,
            "AWS_ENDPOINT_URL": self.server.endpoint,
            "BOARDCLERK_STORE": self.url,
        }

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.server.endpoint,
            region_name=S3_ENV["AWS_REGION"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    @contextmanager
    def failing(self, status: int) -> Iterator[None]:
        """Every request answered with ``status`` (500, 503) until the block ends."""
        with self.server.faults.lock:
            self.server.faults.status = status
        try:
            yield
        finally:
            with self.server.faults.lock:
                self.server.faults.status = 0

    def overwrite(self, key: str, data: bytes) -> None:
        """Replace an object's bytes behind the store's back (bit rot, a bad restore)."""
        self.client().put_object(Bucket=self.bucket, Key=key, Body=data)

    def object_keys(self) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(o["Key"] for p in pages for o in p.get("Contents", []))


def start_server() -> FaultyMotoServer:
    server = FaultyMotoServer()
    server.start()
    return server


def new_bucket(server: FaultyMotoServer) -> S3:
    s3 = S3(server, f"bc-{uuid.uuid4().hex[:12]}")
    s3.client().create_bucket(
        Bucket=s3.bucket,
        CreateBucketConfiguration={"LocationConstraint": S3_ENV["AWS_REGION"]},
    )
    return s3


@contextmanager
def s3_environment(s3: S3) -> Iterator[None]:
    """The process's environment pointed at ``s3`` for the block (for in-process stores)."""
    saved = {k: os.environ.get(k) for k in s3.env}
    os.environ.update(s3.env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def closed_port() -> int:
    """A loopback port nothing listens on (an object store that is down): refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
