import hashlib
import json

from ai_spend_recon.demo import generate


def tree_digest(root):
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_generator_is_deterministic_and_writes_every_landing_folder(tmp_path):
    first, second = tmp_path / "a" / "raw", tmp_path / "b" / "raw"
    generate.main(["--out", str(first), "--requests", "1500"])
    generate.main(["--out", str(second), "--requests", "1500"])
    assert tree_digest(first) == tree_digest(second)
    for folder in [
        "openai/costs",
        "openai/usage_completions",
        "anthropic/cost_report",
        "anthropic/usage_messages",
        "focus",
        "invoices",
        "telemetry/litellm",
        "telemetry/otel",
        "telemetry/requests",
        "recharges",
        "decisions",
        "signoffs",
    ]:
        assert any((first / folder).rglob("*.*")), folder


def test_ground_truth_names_every_injected_variance_source(tmp_path):
    raw = tmp_path / "raw"
    generate.main(["--out", str(raw), "--requests", "3000"])
    truth = json.loads((tmp_path / "ground_truth.json").read_text())
    categories = {
        category
        for providers in truth["variance_ground_truth"].values()
        for per_provider in providers.values()
        for category in per_provider
    }
    assert categories == {
        "timing_window",
        "cache_pricing",
        "tier_breakpoint",
        "service_tier_or_batch",
        "failed_request_billing",
        "credit_or_promo",
        "prior_period_correction",
        "tax_or_fee",
        "fx_rounding",
        "unpriced_model",
        "missing_telemetry",
        "unbilled_usage",
        "inference_geo_uplift",
    }
    # each cloud carries a variance of its own, in its own export's fields (README "Demo
    # scenario"): Bedrock batch billed at the batch rate (CUR 2.0), the Azure evaluation
    # resource no gateway sees, the Vertex AI promotional credit in credits[]
    by_provider: dict = {}
    for providers in truth["variance_ground_truth"].values():
        for provider, per_provider in providers.items():
            by_provider.setdefault(provider, set()).update(per_provider)
    assert {"service_tier_or_batch", "tax_or_fee", "tier_breakpoint"} <= by_provider["aws_bedrock"]
    assert "missing_telemetry" in by_provider["azure_openai"]
    assert "credit_or_promo" in by_provider["google"]
    # the canary key is planted in telemetry metadata on purpose
    litellm = "".join(p.read_text() for p in (raw / "telemetry/litellm").glob("*.csv"))
    assert truth["canary_key"] in litellm


def test_telemetry_is_written_one_file_per_day(tmp_path):
    raw = tmp_path / "raw"
    generate.main(["--out", str(raw), "--requests", "1500"])
    for source, pattern in [
        ("litellm", "spend_logs_????-??-??.csv"),
        ("otel", "spans_????-??-??.jsonl"),
        ("requests", "requests_????-??-??.parquet"),
    ]:
        files = list((raw / "telemetry" / source).iterdir())
        assert len(files) > 60 and all(p.match(pattern) for p in files), source
    assert not (tmp_path / ".generate_tmp").exists()


def test_existing_landing_zone_is_not_overwritten_without_force(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "mine.json").write_text("{}")
    assert generate.main(["--out", str(raw)]) == 0
    assert [p.name for p in raw.iterdir()] == ["mine.json"]
