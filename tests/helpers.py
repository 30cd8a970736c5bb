"""Running dbt from tests against a landing zone and a database of the test's own."""

import atexit
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DBT = ROOT / ".venv" / "bin" / "dbt"
PYTHON = ROOT / ".venv" / "bin" / "python"
DEMO_RAW = ROOT / "demo" / "raw"
# The CI build (conftest.py's ci_build fixture): tests read it, never run dbt on it.
CI_DB = ROOT / "target" / "ci.duckdb"
CI_CLOSE_RECORDS = ROOT / "target" / "ci_close_records"
# dbt parses the whole project again (~10 s of a 2-core machine) whenever the profile (the
# database path) or the --vars differ from those of the parse saved in its target folder.
# run_dbt gives dbt the database's path relative to the database's folder, its working
# directory: tests name their database ci.duckdb, each in a folder of its own, so all have
# the same profile, and with one target folder per --vars for this pytest process dbt
# reuses its parse from one test to the next. (The close records' folder, an environment
# variable only the on-run-end hook reads, does not make dbt parse again.)
DBT_STATE = Path(tempfile.mkdtemp(prefix="recon-tests-dbt-"))
atexit.register(shutil.rmtree, DBT_STATE, ignore_errors=True)


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
    zone first, as `make build` does; a failed load is returned as the result. dbt's
    artifacts and log go to this process's DBT_STATE, not to the project's target/ (which
    holds the CI build's, read by test_built_warehouse)."""
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
    cli_vars = args[args.index("--vars") + 1] if "--vars" in args else ""
    state = DBT_STATE / hashlib.sha256(cli_vars.encode()).hexdigest()[:12]
    return subprocess.run(
        [
            str(DBT),
            *args,
            "--target",
            "ci",
            *("--project-dir", str(ROOT)),
            *("--target-path", str(state / "target")),
            *("--log-path", str(state / "logs")),
        ],
        cwd=db.parent,
        env={**env, "DBT_DUCKDB_PATH": db.name},
        capture_output=True,
        text=True,
        timeout=900,
    )


def columns_with_rows_where(con, columns, condition: str) -> list[tuple[str, str, str, int]]:
    """(schema, relation, column, rows) of each of the given (schema, relation, column) with
    rows where `condition` holds, `{}` standing for the column. Each relation is read once
    for all its columns, so a view (a staging or intermediate model) is computed once, not
    once per column."""
    by_relation = defaultdict(list)
    for schema, relation, column in columns:
        by_relation[(schema, relation)].append(column)
    found = []
    for (schema, relation), names in by_relation.items():
        counts = ", ".join(
            "count(*) filter (where " + condition.format(f'"{name}"') + ")" for name in names
        )
        rows = con.execute(f'select {counts} from "{schema}"."{relation}"').fetchone()
        found += [
            (schema, relation, name, count)
            for name, count in zip(names, rows, strict=True)
            if count
        ]
    return found
