-- One row per request and usage type with a quantity (with the request's owner and billing
-- period, so aggregates need no join back to requests) (token buckets, images, audio
-- seconds, and requests where a per-request price exists); priced with the price row in
-- force at usage time. Rule (DECISIONLOG 2026-11-22): a contract override beats the book; the
-- request's own service tier beats the standard row; among context tiers the highest
-- threshold below the request's total input wins (whole-request re-pricing). No price
-- row means NULL cost (never 0); a zero quantity costs exactly 0.
with

requests as (

    select * from {{ ref('int_usage_requests_owned') }}

),

model_aliases as (

    select * from {{ ref('model_aliases') }}

),

price_rows as (

    select * from {{ ref('int_price_rows_effective') }}

),

priced_models as (

    select distinct
        provider,
        model_id
    from price_rows

),

requests_with_model as (

    select
        requests.*,
        coalesce(model_aliases.model_id, priced_models.model_id) as model_id
    from requests
    left join model_aliases
        on
            requests.provider = model_aliases.provider
            and requests.model_name = model_aliases.alias
            and cast(requests.requested_at as date) >= model_aliases.valid_from
            and cast(requests.requested_at as date) < model_aliases.valid_to
    left join priced_models
        on
            requests.provider = priced_models.provider
            and requests.model_name = priced_models.model_id

),

request_lines as (

    unpivot requests_with_model
    on
    input_uncached_tokens as 'input_uncached',
    cache_read_tokens as 'cache_read',
    cache_write_5m_tokens as 'cache_write_5m',
    cache_write_1h_tokens as 'cache_write_1h',
    output_tokens as 'output',
    image_count as 'images',
    audio_seconds as 'audio_seconds',
    request_units as 'requests'
    into name usage_type value quantity

),

priced as (

    -- The best price row per request line (window partitioned by day first, so a per-day
    -- read of this view prices that day only). No price row: NULL cost, never 0.
    select
        request_lines.*,
        price_rows.price_id,
        price_rows.service_tier as price_service_tier,
        price_rows.context_threshold_tokens,
        price_rows.usd_per_unit,
        case
            when request_lines.quantity = 0 then {{ to_money('0') }}
            else {{ to_money('request_lines.quantity * price_rows.usd_per_unit') }}
        end as cost_usd,
        price_rows.price_id is not null or request_lines.quantity = 0 as is_priced
    from request_lines
    left join price_rows
        on
            request_lines.quantity > 0
            and request_lines.provider = price_rows.provider
            and request_lines.model_id = price_rows.model_id
            and request_lines.usage_type = price_rows.usage_type
            and price_rows.service_tier in (request_lines.service_tier, 'standard')
            and cast(request_lines.requested_at as date) >= price_rows.valid_from
            and cast(request_lines.requested_at as date) < price_rows.valid_to
            and (
                price_rows.context_threshold_tokens = 0
                or request_lines.total_input_tokens > price_rows.context_threshold_tokens
            )
    -- A failed request that logged no tokens keeps its zero token lines, so the
    -- reconciliation can see billable failures on the line the provider billed them to.
    where
        request_lines.quantity > 0
        or (request_lines.is_failed and request_lines.usage_type in (
            'input_uncached', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output'
        ))
    qualify
        row_number() over (
            partition by
                request_lines.requested_date,
                request_lines.request_key,
                request_lines.usage_type
            order by
                price_rows.is_override desc,
                (price_rows.service_tier = request_lines.service_tier) desc,
                price_rows.context_threshold_tokens desc,
                price_rows.price_id asc
        ) = 1
        -- A request count is a billing unit only where a per-request price row exists.
        and (request_lines.usage_type != 'requests' or price_rows.price_id is not null)

)

select * from priced
