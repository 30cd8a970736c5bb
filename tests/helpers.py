"""Running dbt from tests against a landing zone and a database of the test's own."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DBT = ROOT / ".venv" / "bin" / "dbt"
PYTHON = ROOT / ".venv" / "bin" / "python"


def run_dbt(
    args: list[str],
    *,
    raw_dir: Path,
    db: Path,
    close_dir: Path,
    config_dir: Path | None = None,
) -> subprocess.CompletedProcess:
    """dbt <args> --target ci with the given landing zone, database file and close records
    (and configuration folder; the demo org's by default). A build or run loads the landing
    zone first, as `make build` does; a failed load is returned as the result."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT),
        "RECON_RAW_DIR": str(raw_dir),
        "DBT_DUCKDB_PATH": str(db),
        "RECON_CLOSE_DIR": str(close_dir),
    }
    if config_dir is not None:
        env["RECON_CONFIG_DIR"] = str(config_dir)
    if args and args[0] in ("build", "run"):
        loaded = subprocess.run(
            [
                str(PYTHON),
                "-m",
                "ai_spend_recon.load",
                "--raw-dir",
                str(raw_dir),
                "--database",
                str(db),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if loaded.returncode != 0:
            return loaded
    return subprocess.run(
        [str(DBT), *args, "--target", "ci"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
