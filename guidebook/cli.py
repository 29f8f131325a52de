"""The ``guidebook`` command.

``rate``, ``cost`` and ``schema`` work on record files with the evidence core alone
(no database). Every other verb is a Django management command: ``serve``, ``demo``,
``export``, ``import``, ``migrate``, ``createsuperuser`` and the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from guidebook.evidence.errors import InvalidRecord, Problem, RecordError

CORE_VERBS = {"rate", "cost", "schema"}
EXIT_INVALID = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in CORE_VERBS:
        return _run_core(args)
    return _run_django(args)


def _run_django(args: list[str]) -> int:
    if args[:1] == ["serve"] and not {"-h", "--help"} & set(args):
        # Said before Django loads (a few seconds on a busy machine), so a first start
        # is never silent; the command then announces each of its steps.
        print("Guidebook: starting...", flush=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guidebook.settings")
    from django.core.management import execute_from_command_line

    if args and not args[0].startswith("-"):
        # Command modules are named with underscores; verbs may be typed with hyphens.
        args = [args[0].replace("-", "_"), *args[1:]]
    execute_from_command_line(["guidebook", *args])
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guidebook", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)

    rate = verbs.add_parser("rate", help="rate one programme record file and print JSON")
    rate.add_argument("file", type=Path)
    rate.add_argument("--standard", help="standard key (default: the newest)")

    cost = verbs.add_parser("cost", help="estimate the unit cost of one programme record file")
    cost.add_argument("file", type=Path)
    cost.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a cost-model parameter (repeatable)",
    )

    schema = verbs.add_parser("schema", help="print the JSON Schema of programme records")
    schema.add_argument("--write", type=Path, help="write it to this file instead")
    return parser


def _run_core(args: list[str]) -> int:
    options = _parser().parse_args(args)
    try:
        if options.verb == "schema":
            return _schema(options.write)
        programme = read_programme_file(options.file)
        if options.verb == "rate":
            return _print(rate_programme(programme, options.standard))
        return _print(cost_programme(programme, parse_params(options.param)))
    except RecordError as error:
        _fail(error.problems)


def _fail(problems: Sequence[Problem]) -> NoReturn:
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    raise SystemExit(EXIT_INVALID)


def _print(data: Any) -> int:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _schema(target: Path | None) -> int:
    from guidebook.evidence.record_schema import programme_schema

    text = json.dumps(programme_schema(), indent=2, ensure_ascii=False) + "\n"
    if target is None:
        sys.stdout.write(text)
    else:
        target.write_text(text, encoding="utf-8")
    return 0


def read_programme_file(path: Path) -> Any:
    """Read and validate a programme record file; every problem names the field."""
    from guidebook.evidence.record_json import programme_from_dict

    record = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidRecord.single(record, "(file)", "a readable file", error.strerror) from None
    except UnicodeDecodeError:
        raise InvalidRecord.single(record, "(file)", "UTF-8 text", "undecodable bytes") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        found = f"{error.msg} at line {error.lineno}, column {error.colno}"
        raise InvalidRecord([Problem(record, "(file)", "a JSON document", found)]) from None
    return programme_from_dict(data, source=record)


def rate_programme(programme: Any, standard_key: str | None) -> dict[str, Any]:
    from guidebook.evidence.assessment import assess

    return assess(programme, standard_key).to_dict()


def parse_params(pairs: Sequence[str]) -> dict[str, float]:
    overrides: dict[str, float] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise InvalidRecord.single("--param", pair, "NAME=VALUE", pair)
        try:
            overrides[name.strip()] = float(value)
        except ValueError:
            raise InvalidRecord.single("--param", name, "a number", value) from None
    return overrides


def cost_programme(programme: Any, overrides: dict[str, float]) -> dict[str, Any]:
    from guidebook.evidence.cost import estimate_cost

    record = f"programme '{programme.slug}'"
    return estimate_cost(programme.cost, record, overrides).to_dict()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
