"""The guidebook command: rate, cost and schema on record files, exit 2 on bad input."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from guidebook.cli import main
from tests.conftest import DEMO_IPP


def run(capsys, *args):
    try:
        status = main(list(args))
    except SystemExit as exit:
        status = exit.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("standard", ["eif-2017", "eif-2018"])
def test_rate_prints_3_plus_with_reasons_for_the_ipp_record(capsys, standard):
    status, out, _ = run(capsys, "rate", str(DEMO_IPP), "--standard", standard)
    assert status == 0
    result = json.loads(out)
    assert result["rating"]["value"] == "3+"
    assert result["standard"]["key"] == standard
    assert {s["study"]: s["level"] for s in result["study_levels"]} == {
        "study-1": "2",
        "study-2": "3",
    }
    assert any(r["rule"] == "rating-4.replicated" and not r["met"] for r in result["reasons"])
    assert result["explanation"]["plus"]
    assert result["explanation"]["outcomes"][0]["outcomes"][0]["studies"] == ["Study 1", "Study 2"]


def test_rate_uses_the_newest_standard_by_default(capsys):
    _, out, _ = run(capsys, "rate", str(DEMO_IPP))
    assert json.loads(out)["standard"]["key"] == "eif-2018"


def test_rate_refuses_an_unknown_standard(capsys):
    status, _, err = run(capsys, "rate", str(DEMO_IPP), "--standard", "eif-1999")
    assert status == 2
    assert "field 'key' expected one of eif-2017, eif-2018, found 'eif-1999'" in err


def test_a_file_that_is_not_json_exits_2_saying_where(capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"slug": "x",\n  "name": }', encoding="utf-8")
    status, out, err = run(capsys, "rate", str(path))
    assert status == 2
    assert out == ""
    assert (
        f"{path}: field '(file)' expected a JSON document, found Expecting value at line 2" in err
    )


def test_an_invalid_record_exits_2_naming_each_field(capsys, tmp_path, ipp_data):
    ipp_data["studies"][1]["design"] = "randomised"
    del ipp_data["name"]
    path = tmp_path / "ipp.json"
    path.write_text(json.dumps(ipp_data), encoding="utf-8")
    status, _, err = run(capsys, "rate", str(path))
    assert status == 2
    lines = err.strip().splitlines()
    assert (
        "error: programme 'infant-parent-psychotherapy': field 'name' expected a value (required), found nothing"
        in lines
    )
    assert any(
        "field 'studies[1].design' expected one of rct" in line and "found 'randomised'" in line
        for line in lines
    )


@pytest.mark.parametrize("content", [None, b"\xff\xfe\x00"])
def test_a_missing_or_undecodable_file_exits_2(capsys, tmp_path, content):
    path = tmp_path / "record.json"
    if content is not None:
        path.write_bytes(content)
    status, _, err = run(capsys, "cost", str(path))
    assert status == 2
    assert "field '(file)'" in err


def test_cost_prints_na_naming_the_missing_input(capsys):
    status, out, _ = run(capsys, "cost", str(DEMO_IPP))
    result = json.loads(out)
    assert status == 0
    assert result["rating"] == "NA"
    assert result["unit_cost"] is None
    assert [m["field"] for m in result["missing"]] == ["practitioner_training_fee"]


def test_cost_takes_parameter_overrides(capsys, tmp_path, ipp_data):
    ipp_data["cost"]["practitioner_training_fee"] = 1500
    path = tmp_path / "ipp.json"
    path.write_text(json.dumps(ipp_data), encoding="utf-8")
    _, default_out, _ = run(capsys, "cost", str(path))
    status, out, _ = run(capsys, "cost", str(path), "--param", "hourly_cost_qcf_7_8=60")
    default, overridden = json.loads(default_out), json.loads(out)
    assert status == 0
    assert default["rating"] != "NA"
    assert overridden["unit_cost"] > default["unit_cost"]
    assert overridden["parameters"]["hourly_cost_qcf_7_8"] == {
        **overridden["parameters"]["hourly_cost_qcf_7_8"],
        "value": 60.0,
        "overridden": True,
    }


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("hourly_cost_qcf_7_8", "expected NAME=VALUE"),
        ("hourly_cost_qcf_7_8=lots", "expected a number, found 'lots'"),
        ("no_such_parameter=3", "no_such_parameter"),
    ],
)
def test_cost_refuses_bad_parameters(capsys, param, message):
    status, _, err = run(capsys, "cost", str(DEMO_IPP), "--param", param)
    assert status == 2
    assert message in err


def test_schema_prints_the_shipped_schema(capsys, tmp_path):
    status, out, _ = run(capsys, "schema")
    assert status == 0
    assert json.loads(out)["title"] == "Guidebook programme record"
    target = tmp_path / "schema.json"
    run(capsys, "schema", "--write", str(target))
    assert json.loads(target.read_text()) == json.loads(out)


def test_the_installed_console_command_runs_and_exits_2_on_an_invalid_file(tmp_path):
    command = shutil.which("guidebook") or str(
        Path(__file__).resolve().parents[1] / ".venv/bin/guidebook"
    )
    ok = subprocess.run(
        [command, "rate", str(DEMO_IPP)], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["rating"]["value"] == "3+"
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "guidebook-programme/1", "slug": "x"}')
    failed = subprocess.run(
        [command, "rate", str(bad)], capture_output=True, text=True, check=False
    )
    assert failed.returncode == 2
    assert "programme 'x': field 'name' expected a value (required), found nothing" in failed.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format": "guidebook-programme/1", "slug": "x", "name": '
            + "[" * 1000
            + "]" * 1000
            + "}",
            "field '(file)' expected lists and objects nested at most 16 levels",
        ),
        (
            '{"format": "guidebook-programme/1", "slug": "x", "name": "a", "name": "b"}',
            "programme 'x': field 'name' expected a key given once, found it given again",
        ),
        (
            '{"format": "guidebook-programme/1", "slug": "x", "name": "a", '
            '"delivery": {"session_hours_min": Infinity}}',
            "field 'delivery.session_hours_min' expected a finite number, found Infinity",
        ),
    ],
    ids=["nested-1000-deep", "repeated-key", "infinity"],
)
@pytest.mark.parametrize("verb", ["rate", "cost"])
def test_hostile_files_exit_2_with_one_line_per_problem(capsys, tmp_path, verb, text, message):
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    status, out, err = run(capsys, verb, str(path))
    assert status == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
