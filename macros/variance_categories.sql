{#-
    The variance category vocabulary, once, in attribution order (the steps of
    int_reconciliation_line_tiers, then the categories of non-usage lines, then the
    remainder). Each category is a <name>_usd column of the line models; the order breaks
    ties when a line's category is the one carrying its largest amount. The memo texts
    fill fct_variances' sentence: "Provider billed $X for <billed> ...; internal record
    shows $Y because <reason>. <applied>".
-#}
{% macro variance_categories() -%}
    {{ return([
        {'name': 'timing_window', 'billed': 'usage in the clock-skew window at the period edges', 'reason': 'telemetry timestamps run off the provider clock, so calls near midnight at the month edges were logged in the neighbouring month', 'applied': 'Provider window applied.'},
        {'name': 'cache_pricing', 'billed': 'cache-read tokens at the discounted rate', 'reason': 'the gateway did not flag cache reads separately and priced them at the standard input rate', 'applied': 'Provider rate applied.'},
        {'name': 'unbilled_usage', 'billed': 'usage that telemetry recorded', 'reason': 'the provider has not billed that usage', 'applied': 'Provider invoice applied; watch for a later charge.'},
        {'name': 'missing_telemetry', 'billed': 'usage no telemetry source recorded', 'reason': 'that traffic bypassed the instrumented gateways', 'applied': 'Provider invoice applied.'},
        {'name': 'unpriced_model', 'billed': 'a model the price book does not cover', 'reason': 'the price book has no rate for that model', 'applied': 'Provider rate applied.'},
        {'name': 'inference_geo_uplift', 'billed': 'the uplift of inference run in a priced geography (US-only inference, 1.1x the list price)', 'reason': 'telemetry priced that uplift only on the requests whose inference geography it names (a gateway that logs inference_geo from the response usage); the rest it priced at the list price', 'applied': 'Provider rate applied.'},
        {'name': 'service_tier_or_batch', 'billed': 'batch or priority usage at its service-tier rate', 'reason': 'telemetry logged those requests without their service tier and priced them at the standard rate', 'applied': 'Provider rate applied.'},
        {'name': 'tier_breakpoint', 'billed': 'lines past a contract volume tier threshold, at the discounted rate', 'reason': 'the internal calculator priced every token at the list rate', 'applied': 'Provider rate applied.'},
        {'name': 'failed_request_billing', 'billed': 'lines that include failed or interrupted requests its billing policy counts as billable', 'reason': 'telemetry recorded no tokens for the failed requests', 'applied': 'Provider billing applied.'},
        {'name': 'credit_or_promo', 'billed': 'a credit or promotional balance applied to the invoice', 'reason': 'credits never appear in usage telemetry', 'applied': 'Provider invoice applied.'},
        {'name': 'tax_or_fee', 'billed': 'tax and fees', 'reason': 'taxes and fees are not usage', 'applied': 'Provider invoice applied.'},
        {'name': 'prior_period_correction', 'billed': 'a correction posted on a later invoice for this period', 'reason': 'a correction belongs to the period it corrects', 'applied': 'Provider invoice applied.'},
        {'name': 'fx_rounding', 'billed': 'invoice rounding and currency conversion', 'reason': 'the invoice rounds each line to the cent and converts at its own rate', 'applied': 'Provider invoice applied.'},
        {'name': 'unexplained', 'billed': 'the lines with a gap no category explains', 'reason': 'that is the internal record with every explained category applied, and no evidence explains the remaining gap', 'applied': 'No side applied.'},
    ]) }}
{%- endmacro %}
