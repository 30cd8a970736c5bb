"""Generate a deterministic demo landing zone in the providers' real export formats.

What it simulates and which variance sources it injects: see the package docstring
(ai_spend_recon.demo). The same --requests and --seed give byte-identical files.

Usage: recon demo-data --out demo/raw [--requests 20000] [--seed 7] [--force]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

import duckdb

from ai_spend_recon.demo.anthropic import write_anthropic_pages
from ai_spend_recon.demo.azure import write_azure_cost_details
from ai_spend_recon.demo.cur2 import write_bedrock_cur2
from ai_spend_recon.demo.finance_inputs import write_decisions, write_recharges, write_signoffs
from ai_spend_recon.demo.focus import write_bedrock_focus
from ai_spend_recon.demo.google import write_google_billing_export
from ai_spend_recon.demo.ground_truth import exception_ground_truth, ground_truth
from ai_spend_recon.demo.invoices import write_openai_invoice
from ai_spend_recon.demo.litellm import write_litellm_spend_logs
from ai_spend_recon.demo.openai import write_openai_pages
from ai_spend_recon.demo.otel import write_otel_spans
from ai_spend_recon.demo.request_log import write_request_log
from ai_spend_recon.demo.traffic import CANARY_KEY, CLOCK_SKEW_MINUTES, build_request_tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(os.environ.get("RECON_RAW_DIR", "demo/raw"))
    )
    parser.add_argument("--requests", type=int, default=20000, help="approximate request count")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force", action="store_true", help="overwrite an existing landing zone")
    args = parser.parse_args(argv)
    raw: Path = args.out
    if raw.exists() and any(raw.iterdir()):
        if not args.force:
            print(f"{raw} already holds exports; use --force to regenerate")
            return 0
        shutil.rmtree(raw)
    raw.mkdir(parents=True, exist_ok=True)

    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    # Bounded memory at any --requests: DuckDB spills to a scratch folder next to the output.
    scratch = raw.parent / ".generate_tmp"
    memory = os.environ.get("RECON_GENERATE_MEMORY_LIMIT", "4GB")
    con.execute(f"set memory_limit = '{memory}'; set temp_directory = '{scratch}'")
    build_request_tables(con, args.requests, args.seed)

    write_openai_pages(con, raw)
    openai_truth = write_openai_invoice(con, raw)
    write_anthropic_pages(con, raw)
    bedrock_truth = write_bedrock_focus(con, raw)
    bedrock_cur2_truth = write_bedrock_cur2(con, raw)
    azure_truth = write_azure_cost_details(con, raw)
    google_truth = write_google_billing_export(con, raw)
    write_litellm_spend_logs(con, raw)
    write_otel_spans(con, raw)
    write_request_log(con, raw)
    unapproved_top_ups = write_recharges(con, raw)
    write_decisions(raw)
    write_signoffs(raw)
    truth = ground_truth(
        con,
        [
            {"provider": "openai", "truth": openai_truth},
            {"provider": "aws_bedrock", "truth": bedrock_truth},
            {"provider": "aws_bedrock", "truth": bedrock_cur2_truth},
            {"provider": "azure_openai", "truth": azure_truth},
            {"provider": "google", "truth": google_truth},
        ],
    )
    billed = con.execute(
        "select count(distinct request_id), sum(cost_usd) from billed_priced"
    ).fetchone()
    summary = {
        "requests": billed[0],
        "provider_usage_cost_usd": str(billed[1]),
        "clock_skew_minutes": CLOCK_SKEW_MINUTES,
        "canary_key": CANARY_KEY,
        "variance_ground_truth": truth,
        "exception_ground_truth": exception_ground_truth(con, unapproved_top_ups),
    }
    (raw.parent / "ground_truth.json").write_text(json.dumps(summary, indent=2, sort_keys=True))
    con.close()
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"wrote demo landing zone to {raw}: {billed[0]} requests, ${billed[1]:.2f} usage")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
