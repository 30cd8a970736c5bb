-- One row per request and usage type with a line (int_usage_requests_priced says which:
-- a used quantity, a failed request's zero token buckets, a request count where a
-- per-request price exists), with the request's owner and billing period, so aggregates
-- need no join back to requests; priced with the price row in force at usage time (NULL
-- cost when no price exists).
with

requests_priced as (

    select * from {{ ref('int_usage_requests_priced') }}

),

request_columns as (

    -- The request's totals give way to the line's own price and flag.
    select
        {{ star_except(none, ['price_ids', 'context_threshold_tokens', 'is_priced', 'cost_usd']) }}
    from requests_priced

),

request_lines as (

    -- INCLUDE NULLS: a line is known by is_priced, not by a non-NULL price.
    select *
    from request_columns
    unpivot include nulls (
        (
            quantity, price_id, price_service_tier, context_threshold_tokens, usd_per_unit,
            cost_usd, inference_geo_uplift_usd, is_priced
        )
        for usage_type in (
            {%- for usage_type, quantity_column in request_usage_types() %}
                (
                    {{ quantity_column }},
                    {{ usage_type }}_price_id,
                    {{ usage_type }}_price_service_tier,
                    {{ usage_type }}_context_threshold_tokens,
                    {{ usage_type }}_usd_per_unit,
                    {{ usage_type }}_cost_usd,
                    {{ usage_type }}_inference_geo_uplift_usd,
                    {{ usage_type }}_is_priced
                ) as {{ usage_type }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
    )

),

final as (

    select *
    from request_lines
    -- A request has a line of a usage type where is_priced is set.
    where is_priced is not null

)

select * from final
