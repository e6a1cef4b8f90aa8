"""`tt-lessons`: the same services as the server, from a terminal.

Human output by default (rich progress bar and log); `--json` prints the event stream as JSON
lines, the last line being the run's outcome. Exit code 0 only when the run succeeded (and, for
the doctor, found no failing check).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from . import __version__
from .cli_output import HumanReporter, JsonReporter, Reporter, exit_code
from .pools import Pools
from .protocol import Cli, Model, RunParams
from .routes import ALL, Query, Route, by_cli
from .schema import schema_json

P = TypeVar("P", bound=RunParams)
M = TypeVar("M", bound=Model)


def _value_type(info: FieldInfo) -> Any:
    """The field's type without `| None`: what argparse converts the text to."""
    annotation = info.annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        (annotation,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    return annotation


def add_field_flags(cmd: argparse.ArgumentParser, model: type[Model]) -> None:
    """One flag per params field: `--kebab-case` (or its `Cli` spelling), typed, with the
    field's description as help. Defaults stay with the model: an absent flag is left out."""
    for name, info in model.model_fields.items():
        cli = next((m for m in info.metadata if isinstance(m, Cli)), None)
        if cli is not None and cli.flag is None:
            continue
        kebab = name.replace("_", "-")
        flag = cli.flag if cli is not None and cli.flag else f"--{kebab}"
        help_text = (info.description or "").replace("%", "%%")
        kind = _value_type(info)
        if kind is bool:
            on_by_default = info.default is True
            if on_by_default and cli is None:
                flag = f"--no-{kebab}"
            action = "store_false" if on_by_default else "store_true"
            cmd.add_argument(
                flag, dest=name, action=action, default=argparse.SUPPRESS, help=help_text
            )
            continue
        if not info.is_required() and info.default is not None:
            help_text += f" (default: {info.default})"
        if not flag.startswith("-"):  # `Cli("DIR")`: an optional positional argument
            cmd.add_argument(
                name, nargs="?", type=kind, default=argparse.SUPPRESS, metavar=flag, help=help_text
            )
            continue
        cmd.add_argument(
            flag,
            dest=name,
            type=kind,
            default=argparse.SUPPRESS,
            metavar=name.upper(),
            help=help_text,
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tt-lessons", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)
    for route in ALL:
        if route.cli is None:  # server-only
            continue
        cmd = sub.add_parser(route.cli, help=route.help)
        add_field_flags(cmd, route.params)
        cmd.add_argument("--json", action="store_true", help="print events as JSON lines")
    sub.add_parser("serve", help="JSON-RPC server on stdio (used by the VS Code extension)")
    schema = sub.add_parser("schema", help="print the protocol's JSON Schema")
    schema.add_argument("--out", type=Path, help="write to this file instead of stdout")
    return parser


def _params(args: argparse.Namespace) -> dict[str, Any]:
    """The flags given, by field name; the params model fills in the rest."""
    return {k: v for k, v in vars(args).items() if k not in {"command", "json"}}


def _run(route: Route[P], args: argparse.Namespace) -> int:
    from .services import execute_route

    reporter: Reporter = JsonReporter() if args.json else HumanReporter()
    try:
        params = route.params.model_validate(_params(args))
    except ValidationError as exc:
        reporter.bad_input(str(exc))
        return 2
    try:
        # execute_route builds the run's pools and closes them when it ends.
        outcome = asyncio.run(execute_route(route, params, reporter.event))
    except KeyboardInterrupt:
        return 130
    reporter.outcome(outcome)
    return exit_code(outcome)


def _ask(query: Query[M, Any], args: argparse.Namespace) -> int:
    try:
        params = query.params.model_validate(_params(args))
    except ValidationError as exc:
        (JsonReporter() if args.json else HumanReporter()).bad_input(str(exc))
        return 2
    pools = Pools()  # one command's: closed before it returns
    try:
        result = query.answer(params, pools)
    finally:
        pools.kill_now()
    if args.json:
        print(result.model_dump_json(by_alias=True))
    else:
        HumanReporter().show(result)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        from .server import serve

        serve()
        return 0
    if args.command == "schema":
        text = schema_json()
        if args.out:
            args.out.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    route = by_cli(args.command)
    return _run(route, args) if isinstance(route, Route) else _ask(route, args)


def run() -> None:
    """The `tt-lessons` command: `main`, then exit. Freezing the collector first spares the exit
    its last passes over every object the imports made (pydantic's models above all): a tenth of a
    short command's wall time. Finalizers and atexit handlers still run."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
