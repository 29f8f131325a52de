"""``guidebook serve`` says what it is doing before it is ready, and the site it serves
links its emails to the address it is served on."""

import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from guidebook.catalogue.management.commands import serve
from tests.deploy.servers import free_port

REPO = Path(__file__).resolve().parents[2]


def _answers(port):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_serve_prints_each_step_before_the_server_is_ready(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "GUIDEBOOK_SITE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(GUIDEBOOK_DATA_DIR=str(tmp_path), PYTHONPATH=str(REPO), PYTHONUNBUFFERED="")
    command = [sys.executable, "-m", "guidebook.cli", "serve", "--port", str(port), "--no-demo"]
    server = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        first = server.stdout.readline()
        # Nothing listens yet: the first line came before the database was even migrated.
        assert first == "Guidebook: starting...\n"
        assert not _answers(port)
        lines = [server.stdout.readline() for _ in range(3)]
        assert lines[0] == f"Guidebook: preparing to serve on http://127.0.0.1:{port}/\n"
        assert lines[1].startswith("Migrating the database (SQLite at ")
        assert lines[2].startswith(f"Serving the guidebook on http://127.0.0.1:{port}/ ")
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8080, "http://127.0.0.1:8080"),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),
        ("guidebook.local", 8000, "http://guidebook.local:8000"),
        ("::1", 8001, "http://[::1]:8001"),
    ],
)
def test_the_site_address_is_the_one_served_on(host, port, url):
    assert serve.site_url_for(host, port) == url


@pytest.fixture
def no_exec(monkeypatch):
    """Run serve's steps, record the gunicorn command instead of becoming it."""
    ran = {}
    calls = []
    monkeypatch.setattr(serve, "call_command", lambda name, *a, **k: calls.append(name))
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: ran.update(argv=argv))
    monkeypatch.delenv("GUIDEBOOK_SITE_URL", raising=False)
    yield ran, calls
    os.environ.pop("GUIDEBOOK_SITE_URL", None)


def test_serve_announces_every_step_in_order_and_hands_its_address_to_the_workers(no_exec):
    ran, calls = no_exec
    out = io.StringIO()
    command = serve.Command(stdout=out)
    command.handle(host="127.0.0.1", port=8123, workers=1, no_demo=False)
    lines = out.getvalue().splitlines()
    assert [line.split(" ")[0] for line in lines] == [
        "Guidebook:",
        "Migrating",
        "Loading",
        "Creating",
        "Serving",
    ]
    assert calls == ["migrate", "collectstatic", "demo", "demo_users"]
    assert os.environ["GUIDEBOOK_SITE_URL"] == "http://127.0.0.1:8123"
    assert ran["argv"][ran["argv"].index("--bind") + 1] == "127.0.0.1:8123"


def test_a_site_url_set_by_the_deployment_is_kept(no_exec, monkeypatch):
    monkeypatch.setenv("GUIDEBOOK_SITE_URL", "https://guidebook.example.org")
    out = io.StringIO()
    serve.Command(stdout=out).handle(host="0.0.0.0", port=8000, workers=1, no_demo=True)
    assert os.environ["GUIDEBOOK_SITE_URL"] == "https://guidebook.example.org"
    assert "Serving the guidebook on https://guidebook.example.org/" in out.getvalue()
