{#- Each variance category's two sides, [billed side, observed side], as SQL over the
    columns of int_reconciliation_line_tiers' attributed CTE, derived with the attribution
    from each step's own evidence (<category>_billed_usd - <category>_observed_usd =
    <category>_usd). Two-sided categories say what each side holds: the cost the clock
    offset moves into the period (billed) and out of it (observed); the cache reads at the
    provider's cache-read rate and the same tokens at the observed input rate; the uplift
    the provider billed for an inference geography and the one telemetry priced; the
    observed quantity at the provider's rate and at ours (rate effects). One-sided
    categories hold their amount on the side that has it. The remainder compares the bill
    with the internal record once every explained category is applied. -#}
{% macro variance_category_sides() -%}
    {%- set explained_amounts = [] %}
    {%- for category in variance_category_names() if category != 'unexplained' %}
        {%- do explained_amounts.append(category ~ '_usd') %}
    {%- endfor %}
    {%- set category_sides = {
    'timing_window': [
        "case when line_type = 'usage' then clock_moved_in_usd else 0 end",
        "case when line_type = 'usage' then clock_moved_out_usd else 0 end"],
    'cache_pricing': [
        "case when usage_type = 'cache_read' then cache_pricing_usd else 0 end",
        "case when usage_type = 'input_uncached' then -cache_pricing_usd else 0 end"],
    'tier_breakpoint': [
        'case when tier_breakpoint_usd != 0 then rate_effect_billed_usd else 0 end',
        'case when tier_breakpoint_usd != 0 then rate_effect_observed_usd else 0 end'],
    'service_tier_or_batch': [
        'case when service_tier_or_batch_usd != 0 then rate_effect_billed_usd else 0 end',
        'case when service_tier_or_batch_usd != 0 then rate_effect_observed_usd else 0 end'],
    'failed_request_billing': [
        'case when failed_request_billing_usd = 0 then 0 else volume_effect_usd end'
        ~ ' + case when is_rate_effect_in_failed_requests'
        ~ ' then rate_effect_billed_usd else 0 end',
        'case when is_rate_effect_in_failed_requests'
        ~ ' then rate_effect_observed_usd else 0 end'],
    'credit_or_promo': ['credit_or_promo_usd', '0'],
    'prior_period_correction': ['prior_period_correction_usd', '0'],
    'tax_or_fee': ['tax_or_fee_usd', '0'],
    'fx_rounding': ['fx_rounding_usd', '0'],
    'unpriced_model': ['unpriced_model_usd', '0'],
    'missing_telemetry': ['missing_telemetry_usd', '0'],
    'unbilled_usage': ['0', '-unbilled_usage_usd'],
    'inference_geo_uplift': [
        'case when is_geo_uplift_line then coalesce(billed_inference_geo_uplift_usd, 0)'
        ~ ' else 0 end',
        'case when is_geo_uplift_line'
        ~ ' then coalesce(clock_corrected_inference_geo_uplift_usd, 0) else 0 end'],
    'unexplained': [
        'billed_usd',
        'observed_usd + ' ~ (explained_amounts | join(' + '))],
} %}
    {{ return(category_sides) }}
{%- endmacro %}
