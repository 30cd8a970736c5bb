{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_days_to_rebuild(ref('int_telemetry_day_fingerprints')) }}",
    **replace_by_partition_config('requested_date')
) }}

-- One row per request (with its owner and billing period), priced with the price rows in
-- force at usage time: per usage type (token buckets, images, audio and video seconds, and
-- requests where a per-request price exists) the price row, unit price and exact cost, and the
-- request's total. Rule (DECISIONLOG 2026-11-22): a contract override beats the book; the
-- request's own service tier beats the standard row; among context tiers the highest
-- threshold below the request's total input wins (whole-request re-pricing); a request
-- whose telemetry names a priced inference geography (var inference_geo_price_multipliers)
-- or speed (var speed_price_multipliers, Anthropic's fast mode) is priced at the row's rate
-- times their multipliers (macros/price_multipliers.sql), the geography's uplift kept per
-- usage type. No price
-- row means NULL cost (never 0); a zero quantity costs exactly 0. Priced at request grain
-- (one hash join per request, no per-request aggregate); int_usage_request_lines_priced
-- turns it into one row per request and usage type. A table, incremental by day like the
-- deduplicated requests it reads (macros/days_to_rebuild.sql): the per-request chain
-- (gateway mapping, owner, model name, price) is evaluated once per day, then read by
-- fct_request_costs and by the day aggregate.
with

requests as {{ not_materialized() }} (

    select * from {{ ref('int_usage_requests_owned') }}
    where {{ in_days_to_rebuild('requested_date', ref('int_telemetry_day_fingerprints')) }}

),

price_rows as (

    select * from {{ ref('int_price_rows_effective') }}

),

request_model_names as (

    -- Each reported model name once per day, resolved by the one rule (resolved_model_id).
    select
        request_names.provider,
        request_names.model_name,
        request_names.requested_date,
        {{ resolved_model_id(
            'request_names.provider', 'request_names.model_name', 'request_names.requested_date'
        ) }} as model_id
    from (
        select distinct provider, model_name, requested_date from requests
    ) as request_names

),

requests_with_model as {{ not_materialized() }} (

    select
        requests.*,
        request_model_names.model_id
    from requests
    left join request_model_names
        on
            requests.provider = request_model_names.provider
            and requests.model_name = request_model_names.model_name
            and requests.requested_date = request_model_names.requested_date

),

price_keys as (

    -- What the price pick depends on, apart from the request's total input tokens.
    select distinct
        provider,
        model_id,
        service_tier,
        requested_date as price_date
    from requests_with_model
    where model_id is not null

),

price_key_candidates as (

    select
        price_keys.provider,
        price_keys.model_id,
        price_rows.usage_type,
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
            and price_rows.service_tier in (price_keys.service_tier, 'standard')
            and price_keys.price_date >= price_rows.valid_from
            and price_keys.price_date < price_rows.valid_to

),

band_starts as (

    -- Every candidate threshold (of any usage type) opens a band of total input tokens,
    -- and so does 0: within a band every usage type has one price row.
    select distinct
        provider,
        model_id,
        service_tier,
        price_date,
        context_threshold_tokens as band_from_tokens
    from price_key_candidates
    union
    select distinct
        provider,
        model_id,
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
            partition by provider, model_id, service_tier, price_date
            order by band_from_tokens
        ) as band_to_tokens
    from band_starts

),

band_prices as (

    -- The price row of each band and usage type: within the band every threshold at or
    -- below its start applies; an override beats the book, the request's own tier beats
    -- standard, the highest threshold wins.
    select
        context_bands.*,
        price_key_candidates.usage_type,
        price_key_candidates.price_id,
        price_key_candidates.price_service_tier,
        price_key_candidates.context_threshold_tokens,
        price_key_candidates.usd_per_unit
    from context_bands
    inner join price_key_candidates
        on
            context_bands.provider = price_key_candidates.provider
            and context_bands.model_id = price_key_candidates.model_id
            and context_bands.service_tier = price_key_candidates.service_tier
            and context_bands.price_date = price_key_candidates.price_date
            and price_key_candidates.context_threshold_tokens <= context_bands.band_from_tokens
    qualify
        row_number() over (
            partition by
                context_bands.provider,
                context_bands.model_id,
                context_bands.service_tier,
                context_bands.price_date,
                context_bands.band_from_tokens,
                price_key_candidates.usage_type
            order by
                price_key_candidates.is_override desc,
                (price_key_candidates.price_service_tier = context_bands.service_tier) desc,
                price_key_candidates.context_threshold_tokens desc,
                price_key_candidates.price_id asc
        ) = 1

),

band_price_columns as (

    -- One row per band: each usage type's price row side by side.
    select
        provider,
        model_id,
        service_tier,
        price_date,
        band_from_tokens,
        band_to_tokens,
        {%- for usage_type, quantity_column in request_usage_types() %}
        max(price_id) filter (where usage_type = '{{ usage_type }}') as {{ usage_type }}_price_id,
        max(price_service_tier) filter (where usage_type = '{{ usage_type }}')
            as {{ usage_type }}_price_service_tier,
        max(context_threshold_tokens) filter (where usage_type = '{{ usage_type }}')
            as {{ usage_type }}_context_threshold_tokens,
        max(usd_per_unit) filter (where usage_type = '{{ usage_type }}')
            as {{ usage_type }}_usd_per_unit{% if not loop.last %},{% endif %}
        {%- endfor %}
    from band_prices
    group by all

),

requests_with_prices as (

    -- Each request meets its band: one hash join, no per-request window.
    select
        requests_with_model.*,
        {{ price_multiplier(
            'inference_geo', 'requests_with_model.provider', 'requests_with_model.inference_geo'
        ) }} as inference_geo_multiplier,
        {{ price_multiplier(
            'speed', 'requests_with_model.provider', 'requests_with_model.speed',
            'requests_with_model.model_id'
        ) }} as speed_multiplier,
        {{ star_except('band_price_columns', [
            'provider', 'model_id', 'service_tier', 'price_date', 'band_from_tokens',
            'band_to_tokens'
        ]) }}
    from requests_with_model
    left join band_price_columns
        on
            requests_with_model.provider = band_price_columns.provider
            and requests_with_model.model_id = band_price_columns.model_id
            and requests_with_model.service_tier = band_price_columns.service_tier
            and requests_with_model.requested_date = band_price_columns.price_date
            and (
                band_price_columns.band_from_tokens = 0
                or requests_with_model.total_input_tokens > band_price_columns.band_from_tokens
            )
            and (
                band_price_columns.band_to_tokens is null
                or requests_with_model.total_input_tokens <= band_price_columns.band_to_tokens
            )

),

usage_type_lines as (

    -- Per usage type: the request has a line when it used a quantity, or when it failed
    -- and logged no tokens: a failure the billing policy makes billable on every token
    -- line (the reconciliation sees it on the line the provider billed it to), any other
    -- on its input line only (counted and priced at 0, without a zero line of each cache
    -- type the provider never bills), and one of no known provider on none (nothing to
    -- reconcile it with: unpriced, like any request of it); a request count is a billing
    -- unit only where a
    -- per-request price row exists. A line's price applies to a positive quantity; a
    -- zero quantity costs exactly 0 and is priced; no price row: NULL cost, never 0.
    -- <usage type>_is_priced is NULL when the request has no line of that type.
    select
        {%- set price_columns = [] %}
        {%- for usage_type in request_usage_types() | map('first') %}
            {%- do price_columns.extend([
                usage_type ~ '_price_id',
                usage_type ~ '_price_service_tier',
                usage_type ~ '_context_threshold_tokens',
                usage_type ~ '_usd_per_unit'
            ]) %}
        {%- endfor %}
        {{ star_except('requests_with_prices', price_columns) }},
        {%- for usage_type, quantity_column in request_usage_types() %}
        {%- set has_line -%}
            (
                {%- if usage_type == 'requests' %}
                {{ quantity_column }} > 0 and {{ usage_type }}_price_id is not null
                {%- elif usage_type in ('images', 'audio_seconds', 'video_seconds') %}
                {{ quantity_column }} > 0
                {%- elif usage_type == 'input_uncached' %}
                {{ quantity_column }} > 0
                or ({{ quantity_column }} = 0 and is_failed and provider is not null)
                {%- else %}
                {{ quantity_column }} > 0
                or ({{ quantity_column }} = 0 and coalesce(is_billable_failure, false))
                {%- endif %}
            )
        {%- endset %}
        case when {{ quantity_column }} > 0 then {{ usage_type }}_price_id end
            as {{ usage_type }}_price_id,
        case when {{ quantity_column }} > 0 then {{ usage_type }}_price_service_tier end
            as {{ usage_type }}_price_service_tier,
        case when {{ quantity_column }} > 0 then {{ usage_type }}_context_threshold_tokens end
            as {{ usage_type }}_context_threshold_tokens,
        {#- the rate applied: the price row's times the speed's multiplier, times the
            inference geography's (each decimal(21, 18) x decimal(9, 6), exact on both
            engines); the rate at the request's speed alone is what the geography uplifts.
            A multiplier of 1 (most requests) leaves the rate as it is: not multiplied. #}
        {%- set list_rate = 'cast(' ~ usage_type ~ '_usd_per_unit as decimal(21, 18))' %}
        {%- set speed_rate -%}
            case
                when speed_multiplier = 1 then {{ to_unit_rate(list_rate) }}
                else {{ to_unit_rate(list_rate ~ ' * speed_multiplier') }}
            end
        {%- endset %}
        {%- set applied_rate -%}
            case
                when inference_geo_multiplier = 1 then {{ speed_rate }}
                else {{ to_unit_rate(
                    'cast(' ~ speed_rate ~ ' as decimal(21, 18)) * inference_geo_multiplier'
                ) }}
            end
        {%- endset %}
        case when {{ quantity_column }} > 0 then {{ applied_rate }} end
            as {{ usage_type }}_usd_per_unit,
        case
            when not {{ has_line }} then null
            when {{ quantity_column }} = 0 then {{ to_money('0') }}
            else {{ to_money(cost_of_quantity(quantity_column, applied_rate)) }}
        end as {{ usage_type }}_cost_usd,
        -- the part of that cost the geography's multiplier adds (0 at list price)
        case
            when not {{ has_line }} then null
            when
                {{ quantity_column }} > 0 and {{ usage_type }}_usd_per_unit is not null
                and inference_geo_multiplier != 1
                then {{ to_money(cost_of_quantity(
                    quantity_column,
                    'cast(' ~ applied_rate ~ ' as decimal(21, 18)) - cast('
                    ~ speed_rate ~ ' as decimal(21, 18))'
                )) }}
            else {{ to_money('0') }}
        end as {{ usage_type }}_inference_geo_uplift_usd,
        case
            when {{ has_line }}
                then {{ usage_type }}_price_id is not null or {{ quantity_column }} = 0
        end as {{ usage_type }}_is_priced{% if not loop.last %},{% endif %}
        {%- endfor %}
    from requests_with_prices

),

{#- Each line's cost as decimal(28, money scale): the sum of nine fits 38 digits, so no
    engine drops a decimal (Spark with decimal precision loss allowed would drop one per
    addition of two decimal(38, 10)). -#}
{%- set line_costs_summed -%}
    {%- for usage_type in request_usage_types() | map('first') -%}
        cast(coalesce({{ usage_type }}_cost_usd, 0) as decimal(28, {{ var('money_scale') }}))
        {%- if not loop.last %} + {% endif %}
    {%- endfor -%}
{%- endset %}
final as (

    select
        *,
        -- The price rows used, in usage-type order.
        nullif(concat_ws(
            ','
            {%- for usage_type in request_usage_types() | map('first') | sort %},
            {{ usage_type }}_price_id
            {%- endfor %}
        ), '') as price_ids,
        greatest(
            {%- for usage_type in request_usage_types() | map('first') %}
            {{ usage_type }}_context_threshold_tokens{% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as context_threshold_tokens,
        -- The request is priced when every line it has is.
        {%- for usage_type in request_usage_types() | map('first') %}
        coalesce({{ usage_type }}_is_priced, true){% if not loop.last %} and{% endif %}
        {%- endfor %} as is_priced,
        -- The request's cost: NULL (never 0) when any line is unpriced, or it has no line.
        case
            when
                {%- for usage_type in request_usage_types() | map('first') %}
                coalesce({{ usage_type }}_is_priced, true) and
                {%- endfor %}
                coalesce(
                    {%- for usage_type in request_usage_types() | map('first') %}
                    {{ usage_type }}_is_priced{% if not loop.last %},{% endif %}
                    {%- endfor %}
                ) is not null
                then {{ to_money(line_costs_summed) }}
        end as cost_usd
    from usage_type_lines

)

select * from final
