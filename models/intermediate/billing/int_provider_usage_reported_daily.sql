{{ config(materialized='table') }}

-- One row per provider x usage date x project x model x usage type x service tier of the
-- quantity the provider itself reports: the quantities on cost-export and FOCUS usage
-- lines, and the Anthropic usage report (its cost report carries no quantities). This is
-- the provider-side evidence that variance attribution re-prices and re-buckets.
-- A table: the clock-offset fit, the unobserved keys and the line tiers read it; a view
-- would resolve the Anthropic usage report's model names again for each.
with

billed_lines as (

    select * from {{ ref('int_billed_lines_unioned') }}

),

anthropic_usage as (

    select * from {{ ref('stg_anthropic__usage_messages') }}

),

billing_policy as (

    select * from {{ ref('stg_config__billing_policy') }}

),

anthropic_usage_tokens as (

    select
        anthropic_usage.provider,
        coalesce(anthropic_usage.workspace_id, 'default_workspace') as project_key,
        anthropic_usage.api_key_id,
        {{ canonical_model_key(
            'anthropic_usage.provider',
            'anthropic_usage.model_name',
            'anthropic_usage.usage_date'
        ) }} as model_key,
        anthropic_usage.service_tier,
        anthropic_usage.usage_date,
        anthropic_usage.input_uncached_tokens,
        anthropic_usage.cache_read_tokens,
        anthropic_usage.cache_write_5m_tokens,
        anthropic_usage.cache_write_1h_tokens,
        anthropic_usage.output_tokens
    from anthropic_usage
    where anthropic_usage.record_status = 'valid'

),

anthropic_usage_lines as (

    select *
    from anthropic_usage_tokens
    unpivot (
        reported_quantity for usage_type in (
            input_uncached_tokens as input_uncached,
            cache_read_tokens as cache_read,
            cache_write_5m_tokens as cache_write_5m,
            cache_write_1h_tokens as cache_write_1h,
            output_tokens as output
        )
    )

),

reported as (

    select
        provider,
        project_key,
        api_key_id,
        model_key,
        usage_type,
        service_tier,
        usage_date,
        quantity as reported_quantity,
        billed_source as reported_source
    from billed_lines
    where line_type = 'usage' and quantity is not null

    union all

    select
        provider,
        project_key,
        api_key_id,
        model_key,
        usage_type,
        service_tier,
        usage_date,
        reported_quantity,
        'anthropic_usage_report' as reported_source
    from anthropic_usage_lines
    where reported_quantity > 0

),

final as (

    select
        reported.provider,
        billing_policy.billing_account_id,
        {{ format_datetime('reported.usage_date', '%Y-%m') }} as billing_period,
        reported.usage_date,
        reported.project_key,
        reported.api_key_id,
        reported.model_key,
        reported.usage_type,
        reported.service_tier,
        min(reported.reported_source) as reported_source,
        sum(reported.reported_quantity) as reported_quantity
    from reported
    left join billing_policy
        on reported.provider = billing_policy.provider
    group by all

)

select * from final
