"""The `recon` command: one subcommand per job, each a thin call of a module's `main(argv)`.

    recon demo-data --out demo/raw --requests 20000
    recon summary --db target/dev.duckdb
    recon packet --db target/dev.duckdb --out close_packets [--period 2026-10]
    recon publish --db target/dev.duckdb --out target/marts.duckdb
    recon prices
    recon bench --requests 1000000 --steps floor,full,incremental,decision
    recon bench-garbage --megabytes 200
    recon load ...
    recon pull --days 7
    recon check --db target/dev.duckdb [--period 2026-10] [--json]

The flags after the subcommand are the module's own (`recon <subcommand> --help` lists
them). A module is imported only when its subcommand runs, so `recon summary` never loads
the demo generator's or the price catalog's dependencies.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand -> (module whose main(argv) it runs, help line)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo-data": ("ai_spend_recon.demo.generate", "generate the demo landing zone"),
    "pull": ("ai_spend_recon.pull", "pull the providers' admin cost and usage APIs"),
    "load": ("ai_spend_recon.load", "land raw files into the warehouse's raw tables"),
    "summary": ("ai_spend_recon.period_summary", "print the period summary of a build"),
    "packet": ("ai_spend_recon.close_packet", "write a period's close packet"),
    "publish": ("ai_spend_recon.publish", "copy the marts to a read-only file for BI tools"),
    "prices": ("ai_spend_recon.price_book", "rebuild the price book seeds from genai-prices"),
    "bench": ("ai_spend_recon.bench", "benchmark floor query, builds and one inbox action"),
    "bench-garbage": ("ai_spend_recon.bench_garbage", "benchmark a build on a garbage CSV"),
    "check": ("ai_spend_recon.check", "check the month so far from the marts; exit 1 on an alert"),
}


def run(command: str, argv: list[str]) -> int:
    """Import the subcommand's module and run its main with the remaining arguments."""
    module = importlib.import_module(COMMANDS[command][0])
    sys.argv[0] = f"recon {command}"  # the module's parser names itself after it in --help
    return module.main(argv) or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="recon", description="Close the books on AI API spend.")
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="SUBCOMMAND")
    for name, (_, help_line) in COMMANDS.items():
        # No options of its own: every flag, --help included, goes to the module's parser.
        subcommands.add_parser(name, help=help_line, add_help=False)
    args, rest = parser.parse_known_args(argv)
    return run(args.command, rest)


if __name__ == "__main__":
    raise SystemExit(main())
