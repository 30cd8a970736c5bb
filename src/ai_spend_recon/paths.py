"""Where the project's own files are, for the code that reads them (dbt, seeds, config).

The package is installed editable from the repository (`make setup`: `pip install -e .`),
so the repository root is two folders above this file: src/ai_spend_recon/paths.py.
"""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEEDS_DIR = PROJECT_DIR / "seeds"
# The demo org's configuration (RECON_CONFIG_DIR defaults to it).
DEMO_CONFIG_DIR = PROJECT_DIR / "config" / "demo"
