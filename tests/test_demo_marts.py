"""The demo's marts are exactly the recorded ones: every fct_ table's column types and ordered
rows, hashed (tests/fixtures/demo_mart_hashes.json, recorded from the build before the load
layer replaced the landing macros; fct_billed_lines, new since, from its first build). A
change to any published figure on the demo fails here; when the change is intended, record
the new hashes (the failure prints them) in the same commit and say why in DECISIONLOG.md."""

import json

from helpers import ROOT
from test_determinism import mart_hashes

RECORDED = ROOT / "tests" / "fixtures" / "demo_mart_hashes.json"


def test_every_mart_on_the_demo_is_the_recorded_one(ci_build):
    recorded = json.loads(RECORDED.read_text())
    built = mart_hashes(ci_build)
    assert built == recorded, "new hashes:\n" + json.dumps(built, indent=2, sort_keys=True)
