"""The Redis server this machine kind starts at 127.0.0.1:6379, for the tests that need one.

Redis is optional for running Guidebook, so a test that needs it is skipped when no
server answers, unless ``GUIDEBOOK_REQUIRE_REDIS=1`` (as CI sets) makes that a failure.
Each test module uses a database number of its own and empties it before and after.
"""

from __future__ import annotations

import os
import socket
import time

import pytest


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), 1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def require_redis() -> None:
    """Skip the calling test (or fail it, under GUIDEBOOK_REQUIRE_REDIS=1) without Redis."""
    if redis_answers():
        return
    if os.environ.get("GUIDEBOOK_REQUIRE_REDIS") == "1":
        pytest.fail("Redis is required (GUIDEBOOK_REQUIRE_REDIS=1) but 127.0.0.1:6379 is silent")
    pytest.skip("no Redis at 127.0.0.1:6379")


def flush(database: int) -> None:
    with socket.create_connection(("127.0.0.1", 6379), 2) as connection:
        connection.sendall(f"SELECT {database}\r\nFLUSHDB\r\n".encode())
        time.sleep(0.1)
        connection.recv(64)
