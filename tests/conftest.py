"""Shared test set-up. The package is imported as installed (`make setup`); the helper
modules next to the tests (helpers.py, inbox_session.py) import by name because pytest's
default import mode puts this folder on the path of the tests it collects.

What the tests read is built here when it is absent, so a bare `pytest` on a clean checkout
builds it rather than skipping (a failed build fails the tests that need it):

- `demo_raw`: the demo landing zone demo/raw (and demo/ground_truth.json), as
  `make demo-data` writes it.
- `ci_build`: the CI build, target/ci.duckdb and its close records target/ci_close_records,
  by the two steps `make test` runs (`recon load`, then `dbt build --target ci`). `make test`
  deletes and rebuilds both just before it runs pytest, so when they are there they are
  fresh and reused. Tests only read them: a test that runs dbt on the CI build does so on a
  copy (`ci_copy`).

`make test` runs pytest in two processes (pytest-xdist: -n 2 --dist loadfile, a module to a
worker). Every worker runs these fixtures: a file lock lets one worker build and the others
wait for it, then find the build there.
"""

import fcntl
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import CI_CLOSE_RECORDS, CI_DB, DEMO_RAW, ROOT

BIN = ROOT / ".venv" / "bin"
# pytest-xdist hands the workers whole modules in collection order (make test passes
# --no-loadscope-reorder): the longest first, so that the two workers finish together
# rather than one running a long module alone at the end. test_spark.py takes about 7 min
# on 2 cores (local Spark; skipped without it), each of the others 30 s to 3 min; every
# other module takes under 20 s.
LONGEST_FIRST = [
    "test_spark.py",
    "test_review_inbox.py",
    "test_incremental.py",
    "test_close_period.py",
    "test_closed_periods.py",
    "test_hostile_inputs.py",
    "test_config.py",
    "test_landing_inventory.py",
    "test_determinism.py",
    "test_credentials.py",
]


def pytest_collection_modifyitems(items):
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: else as found


@contextmanager
def build_lock(name: str):
    """One process at a time builds target/<name> (pytest-xdist workers share target/)."""
    (ROOT / "target").mkdir(exist_ok=True)
    with open(ROOT / "target" / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def run_step(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed:\n{(done.stdout + done.stderr)[-4000:]}")


@pytest.fixture(scope="session")
def demo_raw() -> Path:
    """demo/raw, generated as `make demo-data` does when it is absent."""
    with build_lock("demo_raw"):
        if not (DEMO_RAW / "telemetry").exists():
            run_step(
                [str(BIN / "recon"), "demo-data", "--out", str(DEMO_RAW), "--requests", "20000"],
                dict(os.environ),
            )
    return DEMO_RAW


@pytest.fixture(scope="session")
def ci_build(demo_raw) -> Path:
    """target/ci.duckdb with target/ci_close_records, built as `make test` builds them when
    either is absent (from RECON_RAW_DIR, demo/raw by default, as in the Makefile)."""
    with build_lock("ci_build"):
        if not (CI_DB.exists() and CI_CLOSE_RECORDS.exists()):
            CI_DB.unlink(missing_ok=True)
            shutil.rmtree(CI_CLOSE_RECORDS, ignore_errors=True)
            env = {
                **os.environ,
                "DBT_PROFILES_DIR": str(ROOT),
                "RECON_RAW_DIR": os.environ.get("RECON_RAW_DIR", str(demo_raw)),
                "DBT_DUCKDB_PATH": "target/ci.duckdb",
                "RECON_CLOSE_DIR": "target/ci_close_records",
            }
            run_step([str(BIN / "recon"), "load", "--database", "target/ci.duckdb"], env)
            run_step([str(BIN / "dbt"), "build", "--target", "ci"], env)
    return CI_DB


@pytest.fixture
def ci_copy(ci_build, tmp_path) -> tuple[Path, Path]:
    """A copy of the CI build for a test that runs dbt on it: (database, close records).
    The file keeps its name, ci.duckdb, so its views keep resolving to catalog "ci"."""
    db, close_dir = tmp_path / "ci" / "ci.duckdb", tmp_path / "ci" / "close_records"
    db.parent.mkdir()
    shutil.copy(ci_build, db)
    shutil.copytree(CI_CLOSE_RECORDS, close_dir)
    return db, close_dir
