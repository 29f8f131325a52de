"""`guidebook front-cache`: the shipped configuration pointed at the right server."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guidebook.deploy import varnish


def test_print_shows_the_configuration_with_the_chosen_backend(capsys):
    call_command("front_cache", "--print", "--backend", "10.0.0.5:9000")
    text = capsys.readouterr().out
    assert 'backend guidebook {\n    .host = "10.0.0.5";\n    .port = "9000";\n}' in text
    assert text == varnish.vcl_for("10.0.0.5", 9000)


@pytest.mark.parametrize("backend", ["nonsense", ":8000", "host:", "host:0", "host:70000"])
def test_a_backend_that_is_not_host_and_port_is_refused(backend):
    with pytest.raises(CommandError, match=f"--backend must be HOST:PORT.*found {backend!r}"):
        call_command("front_cache", "--backend", backend)


def test_without_varnishd_it_says_what_to_install(monkeypatch):
    monkeypatch.setattr(
        "guidebook.catalogue.management.commands.front_cache.find_varnishd", lambda: None
    )
    with pytest.raises(CommandError, match="install Debian's varnish"):
        call_command("front_cache")


def test_it_runs_varnishd_in_the_foreground_with_its_own_copy(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    ran = {}
    monkeypatch.setattr(
        "guidebook.catalogue.management.commands.front_cache.find_varnishd",
        lambda: "/usr/sbin/varnishd",
    )
    monkeypatch.setattr(
        "guidebook.catalogue.management.commands.front_cache.os.execv",
        lambda path, argv: ran.update(path=path, argv=argv),
    )
    call_command(
        "front_cache", "--port", "6090", "--ban-port", "6091", "--backend", "127.0.0.1:8001"
    )
    config = tmp_path / "varnish" / "guidebook.vcl"
    assert config.read_text() == varnish.vcl_for("127.0.0.1", 8001)
    assert ran["path"] == "/usr/sbin/varnishd"
    argv = ran["argv"]
    listeners = [argv[i + 1] for i, arg in enumerate(argv) if arg == "-a"]
    assert listeners == ["public=127.0.0.1:6090", "ban=127.0.0.1:6091"]
    assert argv[argv.index("-f") + 1] == str(config)
    assert "-F" in argv


def test_a_configuration_that_no_longer_names_its_backend_is_caught(monkeypatch, tmp_path):
    changed = tmp_path / "guidebook.vcl"
    changed.write_text('backend guidebook { .host = "cache"; .port = "80"; }')
    monkeypatch.setattr(varnish, "VCL", changed)
    with pytest.raises(ValueError, match="no longer names its backend"):
        varnish.vcl_for("127.0.0.1", 8000)
