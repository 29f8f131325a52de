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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

from guidebook.evidence.errors import InvalidRecord, Problem, RecordError

CORE_VERBS = {"rate", "cost", "schema"}
EXIT_INVALID = 2
EXIT_READER_GONE = 1


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in CORE_VERBS:
            return _run_core(args)
        return _run_django(args)
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """Stop quietly when whatever reads the output has gone (``guidebook rate f | head``),
    as other command-line tools do, instead of with a traceback. Standard output is
    pointed at /dev/null first, so that Python's own flush at exit does not fail again
    (the Python documentation's advice: the signal module, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_READER_GONE


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
        help=(
            "set a cost input (a cost profile field, delivery_models as a comma list, "
            "or a cost-model parameter); an empty profile value makes it unknown (repeatable)"
        ),
    )

    schema = verbs.add_parser("schema", help="print the JSON Schema of programme records")
    schema.add_argument("--write", type=Path, help="write it to this file instead")
    return parser


def _run_core(args: list[str]) -> int:
    options = _parser().parse_args(args)
    try:
        if options.verb == "schema":
            return _schema(options.write)
        from guidebook.evidence.record_file import read_programme_file

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


def rate_programme(programme: Any, standard_key: str | None) -> dict[str, Any]:
    from guidebook.evidence.assessment import assess

    return assess(programme, standard_key).to_dict()


@dataclass
class CostInputs:
    """What ``--param`` asked for: parameter overrides, profile facts, delivery models."""

    overrides: dict[str, float] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    delivery_models: tuple[str, ...] | None = None


def parse_params(pairs: Sequence[str]) -> CostInputs:
    """Read ``NAME=VALUE`` pairs: a cost profile field, ``delivery_models`` or a parameter.

    A profile field given an empty value becomes unknown. Raises ``InvalidRecord``
    naming every bad pair at once, each under the record ``--param``.
    """
    from guidebook.evidence.cost_fields import FIELDS
    from guidebook.evidence.cost_parameters import PARAMETERS

    inputs, problems = CostInputs(), []
    parameters = {known.name for known in PARAMETERS}
    for pair in pairs:
        name, sep, text = (part.strip() for part in pair.partition("="))
        if not sep or not name:
            problems.append(Problem("--param", pair, "NAME=VALUE", repr(pair)))
        elif name in FIELDS:
            problems += _read_fact(inputs, name, text)
        elif name == "delivery_models":
            problems += _read_delivery_models(inputs, text)
        elif name in parameters:
            problems += _read_parameter(inputs, name, text)
        else:
            expected = (
                "a cost profile field (" + ", ".join(FIELDS) + "), delivery_models or a "
                "cost parameter (" + ", ".join(sorted(parameters)) + ")"
            )
            problems.append(Problem("--param", name, expected, repr(name)))
    if problems:
        raise InvalidRecord(problems)
    return inputs


_FLAGS = {"true": True, "yes": True, "false": False, "no": False}
# How the text of each kind of profile field is read; the core's check then judges it.
_READERS: dict[str, Callable[[str], Any]] = {
    "count": int,
    "positive": float,
    "amount": float,
    "level": str,
    "flag": lambda text: _FLAGS[text.lower()],
}


def _read_fact(inputs: CostInputs, name: str, text: str) -> list[Problem]:
    from guidebook.evidence.cost_fields import CHECKS, FIELDS

    kind = FIELDS[name].kind
    accepts, expected = CHECKS[kind]
    value: Any = None
    if text:
        try:
            value = _READERS[kind](text)
        except (ValueError, KeyError):
            value = text
        if not accepts(value):
            hint = " (or nothing, for not known)"
            return [Problem("--param", name, expected + hint, repr(text))]
    inputs.facts[name] = value
    return []


def _read_delivery_models(inputs: CostInputs, text: str) -> list[Problem]:
    from guidebook.evidence.vocabulary import DELIVERY_MODELS

    models = tuple(model.strip() for model in text.split(",") if model.strip())
    expected = "delivery models separated by commas, each one of " + ", ".join(DELIVERY_MODELS)
    unknown = [model for model in models if model not in DELIVERY_MODELS]
    if unknown:
        return [Problem("--param", "delivery_models", expected, repr(unknown[0]))]
    inputs.delivery_models = models
    return []


def _read_parameter(inputs: CostInputs, name: str, text: str) -> list[Problem]:
    try:
        inputs.overrides[name] = float(text)
    except ValueError:
        return [Problem("--param", name, "a number", repr(text))]
    return []


def cost_programme(programme: Any, inputs: CostInputs | None = None) -> dict[str, Any]:
    """The programme's cost estimate as plain data, with what ``--param`` changed."""
    from guidebook.evidence.cost import estimate_cost

    inputs = inputs or CostInputs()
    profile = replace(programme.cost, **inputs.facts)
    models = inputs.delivery_models
    if models is None:
        models = programme.characteristics.delivery_models
    record = f"programme '{programme.slug}'"
    return estimate_cost(profile, record, inputs.overrides, models).to_dict()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
