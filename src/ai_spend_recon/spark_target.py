"""The local `spark` target of profiles.yml, as the Python side reaches it: where it keeps
its files, and its dbt operations (the session's settings live in profiles.yml only, so
Python talks to Spark through `dbt run-operation`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ai_spend_recon.paths import PROJECT_DIR


def spark_home() -> Path:
    """Where the local Spark target keeps its metastore, warehouse and Parquet
    (RECON_SPARK_HOME, default target/spark; profiles.yml reads the same variable)."""
    return Path(os.environ.get("RECON_SPARK_HOME", "target/spark")).resolve()


def run_operation(macro: str, args: dict, project_dir: Path = PROJECT_DIR) -> None:
    """`dbt run-operation <macro> --args <args> --target spark`; raises when it fails."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [
            "run-operation",
            macro,
            "--args",
            json.dumps(args),
            "--target",
            "spark",
            "--project-dir",
            str(project_dir),
            "--profiles-dir",
            os.environ.get("DBT_PROFILES_DIR", str(project_dir)),
            "--quiet",
        ]
    )
    if not result.success:
        raise RuntimeError(f"dbt run-operation {macro} on Spark failed: {result.exception}")
