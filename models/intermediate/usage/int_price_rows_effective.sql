-- The price book and the contract overrides as one set of effective-dated rows.
with

price_book as (

    select * from {{ ref('price_book') }}

),

price_overrides as (

    select * from {{ ref('stg_config__price_overrides') }}

),

unioned as (

    select
        price_id,
        provider,
        model_id,
        usage_type,
        service_tier,
        context_threshold_tokens,
        unit,
        units_per_price,
        usd_per_price_unit,
        {{ to_unit_rate('usd_per_unit') }} as usd_per_unit,
        valid_from,
        valid_to,
        price_source,
        false as is_override
    from price_book

    union all

    select
        price_id,
        provider,
        model_id,
        usage_type,
        service_tier,
        context_threshold_tokens,
        unit,
        units_per_price,
        usd_per_price_unit,
        {{ to_unit_rate('usd_per_unit') }} as usd_per_unit,
        valid_from,
        valid_to,
        price_source,
        true as is_override
    from price_overrides

)

select * from unioned
