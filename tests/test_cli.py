"""The guidebook command: rate, cost and schema on record files, exit 2 on bad input."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guidebook.cli import main
from tests.conftest import DEMO_IPP, REPO

DEMO = DEMO_IPP.parent


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


def test_cost_prints_a_band_that_holds_whatever_the_unknown_fee(capsys):
    status, out, _ = run(capsys, "cost", str(DEMO_IPP))
    result = json.loads(out)
    assert status == 0
    assert (result["rating"], result["ratings"]) == ("4", ["4"])
    assert result["range"]["low"] <= result["unit_cost"] <= result["range"]["high"]
    fee = next(a for a in result["assumed"] if a["field"] == "practitioner_training_fee")
    assert (fee["low"], fee["value"], fee["high"]) == (0.0, 500.0, 1000.0)
    assert "training_fee_low" in fee["reason"] and fee["source"]


def test_cost_of_a_home_visiting_record_without_a_group_size_counts_one_family(
    capsys, tmp_path, ipp_data
):
    # Issue 10, defect 7: one-to-one delivery was priced as a group of 10 families.
    ipp_data["characteristics"]["delivery_models"] = ["home-visiting"]
    ipp_data["cost"]["families_per_group"] = None
    path = tmp_path / "visits.json"
    path.write_text(json.dumps(ipp_data), encoding="utf-8")
    status, out, _ = run(capsys, "cost", str(path))
    result = json.loads(out)
    assert status == 0
    families = next(a for a in result["assumed"] if a["field"] == "families_per_group")
    assert (families["value"], families["low"], families["high"]) == (1.0, 1.0, 1.0)
    assert families["reason"] == "home visiting delivery: one family at each session"
    assert result["rating"] == "4"


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


# Each profile field and the delivery models, set from the command line: what is typed
# and the value the estimate then uses (an empty value makes a fact unknown).
PROFILE_PARAMS = [
    ("sessions=40", "sessions", 40),
    ("session_hours=1.5", "session_hours", 1.5),
    ("practitioners_per_session=2", "practitioners_per_session", 2),
    ("practitioner_level=qcf-6", "practitioner_level", "qcf-6"),
    ("families_per_group=8", "families_per_group", 8),
    ("practitioner_training_hours=30", "practitioner_training_hours", 30.0),
    ("practitioner_training_fee=750", "practitioner_training_fee", 750.0),
    ("booster_training=no", "booster_training", False),
    ("booster_training=TRUE", "booster_training", True),
    ("supervisor_level=qcf-4-5", "supervisor_level", "qcf-4-5"),
    ("supervisor_training_hours=12", "supervisor_training_hours", 12.0),
    ("supervision_hours_per_family=3", "supervision_hours_per_family", 3.0),
    ("licence_fee=200", "licence_fee", 200.0),
    ("setup_materials=0", "setup_materials", 0.0),
    ("materials_per_family=12.5", "materials_per_family", 12.5),
    ("licence_fee=", "licence_fee", None),
]


@pytest.mark.parametrize(("param", "name", "value"), PROFILE_PARAMS)
def test_cost_takes_every_profile_field_as_a_param(capsys, param, name, value):
    from guidebook.cli import cost_programme, parse_params
    from guidebook.evidence.record_file import read_programme_file

    status, out, _ = run(capsys, "cost", str(DEMO_IPP), "--param", param)
    assert status == 0
    programme = read_programme_file(DEMO_IPP)
    inputs = parse_params([param])
    assert inputs.facts == {name: value}
    assert json.loads(out) == cost_programme(programme, inputs)
    assumed = {a["field"] for a in json.loads(out)["assumed"]}
    assert (name in assumed) == (value is None and name != "sessions")


def test_an_unknown_number_of_sessions_from_the_command_line_is_na(capsys):
    status, out, _ = run(capsys, "cost", str(DEMO_IPP), "--param", "sessions=")
    result = json.loads(out)
    assert (status, result["rating"]) == (0, "NA")
    assert result["missing"] == [{"field": "sessions", "label": "number of sessions"}]


def test_cost_takes_the_delivery_models_as_a_param(capsys):
    args = ("--param", "families_per_group=", "--param", "delivery_models=group, telephone")
    status, out, _ = run(capsys, "cost", str(DEMO_IPP), *args)
    families = next(a for a in json.loads(out)["assumed"] if a["field"] == "families_per_group")
    assert status == 0
    assert (families["low"], families["high"]) == (1.0, 12.0)


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("hourly_cost_qcf_7_8", "expected NAME=VALUE"),
        ("hourly_cost_qcf_7_8=lots", "field 'hourly_cost_qcf_7_8' expected a number, found 'lots'"),
        ("horizon_years=0", "field 'horizon_years' expected a number greater than 0 (years)"),
        ("no_such_parameter=3", "field 'no_such_parameter' expected a cost profile field"),
        ("sessions=2.5", "field 'sessions' expected a whole number of at least 1"),
        ("sessions=0", "field 'sessions' expected a whole number of at least 1"),
        ("session_hours=nan", "field 'session_hours' expected a number above 0"),
        ("licence_fee=-5", "field 'licence_fee' expected a number of 0 or more"),
        ("practitioner_level=qcf-9", "field 'practitioner_level' expected one of qcf-3"),
        ("booster_training=maybe", "field 'booster_training' expected true or false"),
        ("delivery_models=group,pigeon", "found 'pigeon'"),
        ("default_group_size=30", "expected group_size_low <= default_group_size"),
    ],
)
def test_cost_refuses_bad_parameters_naming_them(capsys, param, message):
    status, _, err = run(capsys, "cost", str(DEMO_IPP), "--param", param)
    assert status == 2
    assert message in err


def test_every_bad_param_is_reported_at_once(capsys):
    args = ("--param", "sessions=x", "--param", "nonsense=1", "--param", "flat")
    status, _, err = run(capsys, "cost", str(DEMO_IPP), *args)
    assert status == 2
    assert len(err.strip().splitlines()) == 3


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


# What a fresh ``guidebook rate`` process imported, after printing its answer.
RATE_AND_LIST_IMPORTS = """
import contextlib, io, json, sys
from guidebook.cli import main
answer = io.StringIO()
with contextlib.redirect_stdout(answer):
    main(["rate", sys.argv[1]])
heavy = [name for name in ("jsonschema", "numpy", "scipy") if name in sys.modules]
print(json.dumps({"answer": json.loads(answer.getvalue()), "imported": heavy}))
"""


def _rate_in_a_fresh_process(path):
    finished = subprocess.run(
        [sys.executable, "-c", RATE_AND_LIST_IMPORTS, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(finished.stdout)


def test_rating_a_valid_record_without_statistics_imports_no_heavy_library():
    # jsonschema is for naming the problems of a record that has some (issue 13:
    # ``guidebook rate`` answers in under 0.5 s, most of which was imports).
    rated = _rate_in_a_fresh_process(DEMO_IPP)
    assert rated["answer"]["rating"]["value"] == "3+"
    assert rated["imported"] == []


def test_confidence_intervals_become_standard_errors_without_scipy(tmp_path):
    # Only the findings that published an effect with its interval keep statistics, so
    # nothing is pooled and no t or chi-squared distribution is needed: the normal
    # quantile comes from the standard library.
    data = json.loads((DEMO / "family-nurse-partnership.json").read_text(encoding="utf-8"))
    for study in data["studies"]:
        for finding in study["findings"]:
            if (finding.get("statistics") or {}).get("type") != "effect":
                finding["statistics"] = None
    path = tmp_path / "fnp.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    rated = _rate_in_a_fresh_process(path)
    findings = rated["answer"]["effects"]["findings"]
    assert len(findings) == 3
    assert all(item["se"] > 0 and 0 < item["p_value"] < 1 for item in findings)
    assert rated["imported"] == []


@pytest.mark.parametrize(
    "arguments",
    [["rate", str(DEMO / "family-nurse-partnership.json")], ["schema"], ["help"]],
    ids=["rate", "schema", "a Django command"],
)
def test_output_nobody_reads_ends_the_command_quietly(arguments):
    # As in `guidebook rate file | head`: the reading end is closed before the command
    # writes, so its first write finds no reader.
    reading, writing = os.pipe()
    os.close(reading)
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "guidebook.cli", *arguments],
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "guidebook.settings"},
        )
    finally:
        os.close(writing)
    assert finished.stderr == ""
    assert finished.returncode == 1
