"""An address longer than the server reads is refused by gunicorn, as the API says.

The OpenAPI document lists a 414 answer on every operation: gunicorn (which
``guidebook serve`` runs) refuses a request line over 4,094 bytes with a short HTML
page before Django sees it. The test client never meets gunicorn, so this runs one.
"""

import http.client
import os
import socket
import subprocess
import sys
import time

from guidebook.api.views import api
from tests.conftest import REPO
from tests.deploy.servers import free_port


def _wait_for(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn stopped"
        try:
            with socket.create_connection(("127.0.0.1", port), 1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not listen on {port}")


def _get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def test_an_address_too_long_for_the_server_gets_the_documented_414(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(GUIDEBOOK_DATA_DIR=str(tmp_path), PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "gunicorn", "guidebook.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(port, process)
        status, content_type, _ = _get(port, "/api/programmes?q=" + "a" * 5000)
        assert status == 414
        assert content_type.startswith("text/html")
        document = api.get_openapi_schema()
        for operations in document["paths"].values():
            assert "text/html" in operations["get"]["responses"]["414"]["content"]
    finally:
        process.terminate()
        process.wait(timeout=30)
