"""What ground_truth.json says: the amount each injected variance source contributes per
period and provider, and per fct_exceptions kind and period the amount it must show, both
priced here from the generator's own tables, independently of the warehouse."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import duckdb

from ai_spend_recon.demo.amounts import money
from ai_spend_recon.demo.traffic import (
    CLOCK_SKEW_MINUTES,
    GEO_NAMED_WORKLOADS,
    US_INFERENCE_WORKLOADS,
)
from ai_spend_recon.paths import DEMO_CONFIG_DIR


def ground_truth(con: duckdb.DuckDBPyConnection, extra: list[dict]) -> dict:
    """Per period and provider, the amount each injected variance source contributes."""
    truth: dict = {}

    def add(period, provider, category, amount):
        slot = truth.setdefault(period, {}).setdefault(provider, {})
        total = Decimal(slot.get(category, "0")) + money(amount)
        slot[category] = format(total.quantize(Decimal("0.0000000001")), "f")

    q = con.execute
    # Clock skew: requests truly in the first minutes of a month are logged in the previous one.
    for period, provider, amount in q(
        f"""
        select strftime(used_at, '%Y-%m'), provider, sum(cost_usd) from billed_priced
        where telemetry = 'litellm' and model_id is not null
            and used_at < date_trunc('month', used_at) + interval {CLOCK_SKEW_MINUTES} minute
        group by 1, 2
        """
    ).fetchall():
        add(period, provider, "timing_window", amount)
        # The skewed requests were logged in the previous month, even before the first one.
        prev = (date.fromisoformat(period + "-01") - timedelta(days=1)).strftime("%Y-%m")
        add(prev, provider, "timing_window", -money(amount))
    for period, provider, category, amount in q(
        """
        with rates as (
            select b.*, p.usd_per_unit as input_rate
            from billed_priced as b
            left join prices as p on p.provider = b.provider and p.model_id = b.model_id
                and p.usage_type = 'input_uncached' and p.service_tier = 'standard'
                and p.context_threshold_tokens = '0' and p.priority = 2
                and cast(b.used_at as date) >= p.valid_from and cast(b.used_at as date) < p.valid_to
        )
        select strftime(used_at, '%Y-%m'), provider, 'cache_pricing',
            sum(quantity * (usd_per_unit - input_rate))
        from rates where workload = 'support_prod' and usage_type = 'cache_read' group by all
        union all
        select strftime(used_at, '%Y-%m'), provider, 'failed_request_billing', sum(cost_usd)
        from billed_priced where is_interrupted group by all
        union all
        select strftime(used_at, '%Y-%m'), provider, 'unpriced_model', sum(cost_usd)
        from billed_priced where model_id is null group by all
        union all
        select strftime(used_at, '%Y-%m'), provider, 'missing_telemetry', sum(cost_usd)
        from billed_priced where telemetry is null group by all
        union all
        select strftime(used_at, '%Y-%m'), provider, 'unbilled_usage', -sum(cost_usd)
        from billed_priced where service_tier = 'priority' group by all
        union all
        -- US-only inference billed at its multiple where telemetry did not name the geography
        select strftime(used_at, '%Y-%m'), provider, 'inference_geo_uplift',
            sum(cost_usd - list_cost_usd)
        from billed_priced where workload in ({us_unnamed}) group by all
        """.format(
            us_unnamed=", ".join(
                f"'{w}'" for w in US_INFERENCE_WORKLOADS if w not in GEO_NAMED_WORKLOADS
            )
        )
    ).fetchall():
        add(period, provider, category, amount)
    # Batch billed at the batch rate (OpenAI's growth jobs, the Bedrock member account's Nova
    # Lite jobs); telemetry without the flag is priced at standard.
    for period, provider, amount in q(
        """
        with batch_days as (
            select distinct provider, model_id, usage_type, cast(used_at as date) as day
            from billed_priced where service_tier = 'batch'
        ),
        standard as (
            select d.*, p.usd_per_unit
            from batch_days as d
            join prices as p on p.provider = d.provider and p.model_id = d.model_id
                and p.usage_type = d.usage_type and p.service_tier = 'standard'
                and d.day >= p.valid_from and d.day < p.valid_to
            qualify row_number() over (
                partition by d.provider, d.model_id, d.usage_type, d.day
                order by p.priority, cast(p.context_threshold_tokens as bigint)
            ) = 1
        )
        select strftime(b.used_at, '%Y-%m'), b.provider,
            sum(b.cost_usd - b.quantity * s.usd_per_unit)
        from billed_priced as b join standard as s
            on s.provider = b.provider and s.model_id = b.model_id
            and s.usage_type = b.usage_type and s.day = cast(b.used_at as date)
        where b.service_tier = 'batch'
        group by 1, 2
        """
    ).fetchall():
        add(period, provider, "service_tier_or_batch", amount)
    for item in extra:
        provider = item["provider"]
        for category, per_period in item["truth"].items():
            for period, amount in per_period.items():
                add(period, provider, category, amount)
    return truth


def exception_ground_truth(con: duckdb.DuckDBPyConnection, unapproved_top_ups: dict) -> dict:
    """Per exception kind and period, the amount fct_exceptions must show: our priced cost
    of the flagged requests as the gateways logged them (period in the billing timezone,
    UTC for every demo provider), or the billed amount for unapproved batch jobs."""
    truth: dict = {}
    owners = f"read_csv('{DEMO_CONFIG_DIR / 'owner_mappings.csv'}', all_varchar = true)"
    rows = con.execute(
        f"""
        with requests as (
            select request_id, any_value(workload) as workload,
                any_value(provider) as provider, any_value(api_key_id) as api_key_id,
                any_value(project_id) as project_id,
                any_value(service_tier) as service_tier,
                strftime(any_value(used_at), '%Y-%m') as period,
                cast(any_value(used_at) as date) as used_date,
                bool_or(retry_count > 0 or is_interrupted) as is_retried_or_failed,
                -- OTel spans carry no route: only LiteLLM and the request log show fallbacks.
                bool_or(is_fallback and telemetry != 'otel') as is_fallback,
                -- NULL when any line is unpriced, like fct_request_costs.cost_usd
                case when count(cost_usd) = count(*) then sum(cost_usd) end as cost_usd
            from observed_priced group by request_id
        ),
        owned as (
            select requests.*, key_owner.environment as key_environment,
                project_owner.environment as project_environment,
                key_owner.team is null and project_owner.team is null as is_unallocated
            from requests
            left join {owners} as key_owner
                on key_owner.provider = requests.provider and key_owner.key_type = 'api_key'
                and key_owner.key_id = requests.api_key_id
                and requests.used_date >= cast(key_owner.valid_from as date)
                and requests.used_date < cast(key_owner.valid_to as date)
            left join {owners} as project_owner
                on project_owner.provider = requests.provider
                and project_owner.key_type in ('project', 'workspace')
                and project_owner.key_id = requests.project_id
                and requests.used_date >= cast(project_owner.valid_from as date)
                and requests.used_date < cast(project_owner.valid_to as date)
        )
        select 'missing_owner', period, sum(cost_usd) from owned where is_unallocated group by all
        union all
        select 'failed_retries', period, sum(cost_usd) from owned
        where is_retried_or_failed group by all
        union all
        select 'fallback_route', period, sum(cost_usd) from owned where is_fallback group by all
        union all
        select 'unusual_service_tier', period, sum(cost_usd) from owned
        where service_tier = 'priority' group by all
        union all
        select 'environment_mismatch', period, sum(cost_usd) from owned
        where key_environment != project_environment group by all
        union all
        select 'unapproved_batch', strftime(used_at, '%Y-%m'), sum(cost_usd)
        from billed_priced where service_tier = 'batch' group by all
        """
    ).fetchall()
    for kind, period, amount in rows:
        slot = truth.setdefault(kind, {})
        total = Decimal(slot.get(period, "0")) + money(amount)
        slot[period] = format(total.quantize(Decimal("0.0000000001")), "f")
    truth["unapproved_top_up"] = {
        period: format(amount, "f") for period, amount in unapproved_top_ups.items()
    }
    return truth
