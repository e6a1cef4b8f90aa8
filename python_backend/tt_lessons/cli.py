"""`tt-lessons`: the same services as the server, from a terminal.

Human output by default (rich progress bar and log); `--json` prints the event stream as JSON
lines, the last line being the run's outcome. Exit code 0 only when the run succeeded.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import __version__
from .cli_output import HumanReporter, JsonReporter, Reporter
from .protocol import DEFAULT_PROMPT, DEFAULT_VENV, TT_INDEX_URL, Method, RunOutcome, RunStatus
from .schema import schema_json

RUN_COMMANDS = {
    "install": Method.INSTALL,
    "test": Method.TEST,
    "demo": Method.DEMO,
    "mesh": Method.MESH,
    "cnn": Method.CNN,
    "doctor": Method.DOCTOR,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tt-lessons", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    def run_command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument(
            "--venv", default=DEFAULT_VENV, help=f"venv folder (default {DEFAULT_VENV})"
        )
        cmd.add_argument("--json", action="store_true", help="print events as JSON lines")
        cmd.add_argument("--timeout", type=float, dest="timeout_s", help="seconds before stopping")
        return cmd

    install = run_command("install", "create or repair the venv and install TT-XLA")
    install.add_argument("--cpu-only", action="store_true", help="skip pjrt-plugin-tt (CPU JAX)")
    install.add_argument("--wheelhouse", help="folder of wheels to install from (--find-links)")
    install.add_argument("--index-url", default=TT_INDEX_URL, help="index serving pjrt-plugin-tt")
    install.add_argument("--offline", action="store_true", help="no network: wheelhouse only")
    install.add_argument("--pre", action="store_true", help="allow pre-release (nightly) wheels")
    install.add_argument("--force", action="store_true", help="replace a folder we did not make")
    install.add_argument("--python", help="interpreter to build the venv from")
    install.add_argument(
        "--reinstall", action="store_true", help="reinstall every package, even the same versions"
    )
    install.add_argument("--pip", dest="use_uv", action="store_false", help="use pip, not uv")

    run_command("test", "run the JAX sanity check in the venv")
    demo = run_command("demo", "GPT-2 next-token prediction in the venv")
    demo.add_argument("--model", default="gpt2", help="gpt2[-medium|-large|-xl] or a folder")
    demo.add_argument("--prompt", default=DEFAULT_PROMPT)
    demo.add_argument("--top-k", type=int, default=5)
    demo.add_argument("--generate", type=int, default=0, help="extra tokens to generate")
    mesh = run_command("mesh", "shard a matmul over a device mesh")
    mesh.add_argument("--shape", default="1x2", help="rows x cols, e.g. 1x2, 1x8, 8x4")
    mesh.add_argument("--no-force-host-devices", dest="force_host_devices", action="store_false")
    cnn = run_command("cnn", "train a small CNN on the 8x8 digits")
    cnn.add_argument("--epochs", type=int, default=8)
    cnn.add_argument("--seed", type=int, default=0)
    run_command("doctor", "check the install and hardware, with fixes")

    status = sub.add_parser("status", help="venv and hardware status (fast)")
    status.add_argument("--venv", default=DEFAULT_VENV)
    status.add_argument("--json", action="store_true")
    sub.add_parser("serve", help="JSON-RPC server on stdio (used by the VS Code extension)")
    schema = sub.add_parser("schema", help="print the protocol's JSON Schema")
    schema.add_argument("--out", type=Path, help="write to this file instead of stdout")
    return parser


def _params(args: argparse.Namespace) -> dict[str, Any]:
    skip = {"command", "json"}
    return {k: v for k, v in vars(args).items() if k not in skip and v is not None}


def _run(method: Method, args: argparse.Namespace) -> int:
    from .protocol import PARAMS_FOR
    from .services import execute

    reporter: Reporter = JsonReporter() if args.json else HumanReporter()
    try:
        params = PARAMS_FOR[method].model_validate(_params(args))
    except ValidationError as exc:
        reporter.bad_input(str(exc))
        return 2
    try:
        outcome: RunOutcome = asyncio.run(execute(method, params, reporter.event))  # type: ignore[arg-type]
    except KeyboardInterrupt:
        return 130
    reporter.outcome(outcome)
    return 0 if outcome.status is RunStatus.SUCCEEDED else 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in RUN_COMMANDS:
        return _run(RUN_COMMANDS[args.command], args)
    if args.command == "status":
        from .venv.status import status

        result = status(args.venv)
        if args.json:
            print(result.model_dump_json(by_alias=True))
        else:
            HumanReporter().status(result)
        return 0
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
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
