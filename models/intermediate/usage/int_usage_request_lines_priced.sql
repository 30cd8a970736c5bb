-- One row per request and usage type with a quantity (with the request's owner and billing
-- period, so aggregates need no join back to requests) (token buckets, images, audio
-- seconds, and requests where a per-request price exists); priced with the price row in
-- force at usage time. Rule (DECISIONLOG 2026-11-22): a contract override beats the book; the
-- request's own service tier beats the standard row; among context tiers the highest
-- threshold below the request's total input wins (whole-request re-pricing). No price
-- row means NULL cost (never 0); a zero quantity costs exactly 0.
with

requests as not materialized (

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

requests_with_model as not materialized (

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

-- Read twice below (price keys, priced lines): inlined, never materialized, so a per-day
-- read of this view filters both reads to that day.
request_lines as not materialized (

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

price_keys as (

    -- What the price pick depends on, apart from the request's total input tokens.
    select distinct
        provider,
        model_id,
        usage_type,
        service_tier,
        requested_date as price_date
    from request_lines
    where quantity > 0

),

price_key_candidates as (

    select
        price_keys.provider,
        price_keys.model_id,
        price_keys.usage_type,
        price_keys.service_tier,
        price_keys.price_date,
        price_rows.price_id,
        price_rows.service_tier as price_service_tier,
        price_rows.context_threshold_tokens,
        price_rows.usd_per_unit,
        price_rows.is_override
    from price_keys
    inner join price_rows
        on
            price_keys.provider = price_rows.provider
            and price_keys.model_id = price_rows.model_id
            and price_keys.usage_type = price_rows.usage_type
            and price_rows.service_tier in (price_keys.service_tier, 'standard')
            and price_keys.price_date >= price_rows.valid_from
            and price_keys.price_date < price_rows.valid_to

),

band_starts as (

    -- Every candidate threshold opens a band of total input tokens, and so does 0.
    select distinct
        provider,
        model_id,
        usage_type,
        service_tier,
        price_date,
        context_threshold_tokens as band_from_tokens
    from price_key_candidates
    union
    select distinct
        provider,
        model_id,
        usage_type,
        service_tier,
        price_date,
        0 as band_from_tokens
    from price_key_candidates

),

context_bands as (

    -- Band 0 is [0, first threshold]; a band from t is (t, next threshold].
    select
        *,
        lead(band_from_tokens) over (
            partition by provider, model_id, usage_type, service_tier, price_date
            order by band_from_tokens
        ) as band_to_tokens
    from band_starts

),

band_prices as (

    -- The price row of each band: within it every threshold at or below the band's start
    -- applies; an override beats the book, the request's own tier beats standard, the
    -- highest threshold wins.
    select
        context_bands.*,
        price_key_candidates.price_id,
        price_key_candidates.price_service_tier,
        price_key_candidates.context_threshold_tokens,
        price_key_candidates.usd_per_unit
    from context_bands
    inner join price_key_candidates
        on
            context_bands.provider = price_key_candidates.provider
            and context_bands.model_id = price_key_candidates.model_id
            and context_bands.usage_type = price_key_candidates.usage_type
            and context_bands.service_tier = price_key_candidates.service_tier
            and context_bands.price_date = price_key_candidates.price_date
            and price_key_candidates.context_threshold_tokens <= context_bands.band_from_tokens
    qualify
        row_number() over (
            partition by
                context_bands.provider,
                context_bands.model_id,
                context_bands.usage_type,
                context_bands.service_tier,
                context_bands.price_date,
                context_bands.band_from_tokens
            order by
                price_key_candidates.is_override desc,
                (price_key_candidates.price_service_tier = context_bands.service_tier) desc,
                price_key_candidates.context_threshold_tokens desc,
                price_key_candidates.price_id asc
        ) = 1

),

priced as (

    -- Each request line meets its band's price row: a hash join, no per-request window.
    -- No price row: NULL cost, never 0.
    select
        request_lines.*,
        band_prices.price_id,
        band_prices.price_service_tier,
        band_prices.context_threshold_tokens,
        band_prices.usd_per_unit,
        case
            when request_lines.quantity = 0 then {{ to_money('0') }}
            else {{ to_money('request_lines.quantity * band_prices.usd_per_unit') }}
        end as cost_usd,
        band_prices.price_id is not null or request_lines.quantity = 0 as is_priced
    from request_lines
    left join band_prices
        on
            request_lines.quantity > 0
            and request_lines.provider = band_prices.provider
            and request_lines.model_id = band_prices.model_id
            and request_lines.usage_type = band_prices.usage_type
            and request_lines.service_tier = band_prices.service_tier
            and request_lines.requested_date = band_prices.price_date
            and (
                band_prices.band_from_tokens = 0
                or request_lines.total_input_tokens > band_prices.band_from_tokens
            )
            and (
                band_prices.band_to_tokens is null
                or request_lines.total_input_tokens <= band_prices.band_to_tokens
            )
    -- A failed request that logged no tokens keeps its zero token lines, so the
    -- reconciliation can see billable failures on the line the provider billed them to.
    -- A request count is a billing unit only where a per-request price row exists.
    where
        (
            request_lines.quantity > 0
            or (request_lines.is_failed and request_lines.usage_type in (
                'input_uncached', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output'
            ))
        )
        and (request_lines.usage_type != 'requests' or band_prices.price_id is not null)

)

select * from priced
