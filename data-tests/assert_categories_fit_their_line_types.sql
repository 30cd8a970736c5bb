-- Each category is attributed only where it can arise: the attribution steps on usage
-- lines, credits on credit lines, tax and fees on tax and fee lines, rounding on the
-- rounding line, a prior-period correction on an adjustment that corrects a period. A
-- step that leaked onto the wrong line type would still sum to the variance (the
-- remainder absorbs it); this finds it. Returns the offending line tiers.
select
    reconciliation_line_id,
    line_type,
    service_tier
from {{ ref('int_reconciliation_line_tiers') }}
where
    (
        line_type != 'usage'
        and (
            timing_window_usd != 0 or cache_pricing_usd != 0 or unbilled_usage_usd != 0
            or missing_telemetry_usd != 0 or unpriced_model_usd != 0
            or service_tier_or_batch_usd != 0 or tier_breakpoint_usd != 0
            or failed_request_billing_usd != 0 or inference_geo_uplift_usd != 0
        )
    )
    or (line_type != 'credit' and credit_or_promo_usd != 0)
    or (line_type not in ('tax', 'fee') and tax_or_fee_usd != 0)
    or (line_type != 'rounding' and fx_rounding_usd != 0)
    or (
        prior_period_correction_usd != 0
        and not (line_type = 'adjustment' and corrects_period is not null)
    )
