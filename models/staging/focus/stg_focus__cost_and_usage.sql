with

source as (

    select * from {{ source('focus', 'cost_and_usage') }}

),

parsed as (

    select
        source_file,
        record_number as file_row_number,
        -- FOCUS names unquoted: both engines match them case-insensitively ("x" is text on
        -- Spark).
        BillingAccountId as billing_account_id,
        SubAccountId as sub_account_id,
        ResourceId as resource_id,
        InvoiceId as invoice_id,
        SkuId as sku_id,
        -- FOCUS 1.3 splits 1.2's ProviderName into ServiceProviderName and HostProviderName.
        coalesce(nullif(ServiceProviderName, ''), nullif(ProviderName, '')) as provider_name,
        nullif(HostProviderName, '') as host_provider_name,
        PublisherName as publisher_name,
        ServiceName as service_name,
        ChargeCategory as charge_category,
        nullif(ChargeClass, '') as charge_class,
        ChargeDescription as charge_description,
        -- AWS writes its usage type in SkuMeter (FOCUS 1.2 with AWS columns), in
        -- x_UsageType in FOCUS 1.0 with AWS columns.
        coalesce(nullif(SkuMeter, ''), nullif(x_UsageType, '')) as sku_meter,
        nullif(x_Operation, '') as operation,
        nullif(trim(ConsumedUnit), '') as consumed_unit,
        nullif(trim(PricingUnit), '') as pricing_unit,
        RegionId as region_id,
        Tags as tags_json,
        upper(trim(BillingCurrency)) as currency_code,
        BilledCost as billed_cost_text,
        {{ parse_money('BilledCost') }} as billed_cost,
        {{ parse_money('EffectiveCost') }} as effective_cost,
        {{ parse_money('ListCost') }} as list_cost,
        nullif(trim(ConsumedQuantity), '') as consumed_quantity_text,
        nullif(trim(PricingQuantity), '') as pricing_quantity_text,
        try_cast(nullif(trim(ConsumedQuantity), '') as decimal(26, 12)) as consumed_quantity,
        try_cast(nullif(trim(PricingQuantity), '') as decimal(26, 12)) as pricing_quantity,
        {{ iso_to_timestamp('ChargePeriodStart') }} as charge_period_start_at,
        {{ iso_to_timestamp("nullif(ChargePeriodEnd, '')") }} as charge_period_end_at,
        {{ iso_to_timestamp('BillingPeriodStart') }} as billing_period_start_at
    from source

),

providers_named as (

    select
        *,
        case
            when
                provider_name ilike 'aws%' or host_provider_name ilike 'aws%'
                or service_name ilike '%bedrock%'
                then 'aws_bedrock'
            when service_name ilike '%openai%' then 'azure_openai'
            when service_name ilike '%vertex%' then 'gcp_vertex'
            else lower(provider_name)
        end as provider,
        {{ aws_usage_type_part('sku_meter', 'token_kind') }} as aws_token_kind,
        {{ aws_usage_type_part('sku_meter', 'is_cross_region_global') }}
            as is_aws_cross_region_global,
        {{ pricing_unit_conversion('consumed_unit', 'factor') }} as consumed_unit_factor,
        {{ pricing_unit_conversion('pricing_unit', 'factor') }} as pricing_unit_factor,
        coalesce(
            {{ pricing_unit_conversion('consumed_unit', 'base_unit') }},
            {{ pricing_unit_conversion('pricing_unit', 'base_unit') }}
        ) as base_unit
    from parsed

),

quantities_converted as (

    select
        *,
        -- Each quantity in its own unit's base units (a PricingQuantity of 0.042215 in
        -- 1M Tokens is 42215 tokens); the consumed quantity first, the pricing one when the
        -- export leaves it out.
        coalesce(
            cast(consumed_quantity * consumed_unit_factor as decimal(38, 6)),
            cast(pricing_quantity * pricing_unit_factor as decimal(38, 6))
        ) as quantity,
        coalesce(
            consumed_quantity * consumed_unit_factor
            != pricing_quantity * pricing_unit_factor,
            false
        ) as has_quantities_disagreeing,
        (consumed_quantity_text is not null and consumed_unit_factor is null)
        or (pricing_quantity_text is not null and pricing_unit_factor is null)
            as has_unknown_unit
    from providers_named

),

categorized as (

    select
        *,
        case
            when charge_category = 'Tax' then 'tax'
            when charge_category = 'Credit' then 'credit'
            when charge_category = 'Adjustment' or charge_class = 'Correction' then 'adjustment'
            when charge_category = 'Purchase' then 'purchase'
            -- AWS: the token type is in the usage type, else the quantity's unit says it.
            when provider = 'aws_bedrock'
                then coalesce(
                    aws_token_kind,
                    case when base_unit in ('images', 'seconds') then base_unit end
                )
            when sku_meter ilike '%cache read%' then 'cache_read'
            when sku_meter ilike '%cache write%' then 'cache_write_5m'
            when sku_meter ilike '%input%' then 'input_uncached'
            when sku_meter ilike '%output%' then 'output'
            else 'other'
        end as usage_type,
        case
            when provider = 'aws_bedrock'
                then {{ aws_usage_type_part('sku_meter', 'service_tier') }}
            else 'standard'
        end as service_tier,
        case
            -- The model a system inference profile or foundation-model ARN names
            -- (us.anthropic.claude-...-v1:0, which the catalog resolves), else a Marketplace
            -- edition's product ("Claude Haiku 4.5 (Amazon Bedrock Edition)"), else the model
            -- the usage type names with its cross-region routing (model_aliases.csv maps it).
            when provider = 'aws_bedrock'
                then {{ aws_bedrock_model_name('resource_id', 'service_name', 'sku_meter') }}
            -- Other clouds: the part of the description before the meter (to be replaced by
            -- each cloud's own fields as their readers are written).
            else nullif(split_part(charge_description, ' ', 1), '')
        end as model_name,
        case
            when billed_cost is null then 'amount_not_numeric'
            when currency_code is null or currency_code not in {{ accepted_currency_list() }}
                then 'unknown_currency'
            when
                charge_category not in ('Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment')
                or charge_category is null
                then 'unknown_charge_category'
            when not {{ is_plausible_timestamp('charge_period_start_at') }}
                then 'bad_charge_period'
            when charge_category = 'Usage' and quantity < 0 then 'negative_usage'
            when charge_category = 'Usage' and has_unknown_unit then 'unknown_pricing_unit'
            when charge_category = 'Usage' and has_quantities_disagreeing
                then 'quantity_units_disagree'
            when
                charge_category = 'Usage' and base_unit = 'tokens'
                and quantity != floor(quantity)
                then 'quantity_not_a_whole_number'
            else {{ sign_contradicts_charge(
                "charge_category = 'Usage' and coalesce(charge_class, '') != 'Correction'",
                "charge_category = 'Credit'",
                'billed_cost'
            ) }}
        end as row_reason
    from quantities_converted

),

validated as (

    select
        *,
        coalesce(
            row_reason,
            case
                when
                    provider = 'aws_bedrock' and charge_category = 'Usage'
                    and coalesce(charge_class, '') != 'Correction' and usage_type is null
                    then 'unknown_usage_type'
            end
        ) as quarantine_reason
    from categorized

),

ranked as (

    select
        *,
        -- The region and the usage type are part of a row's key: AWS splits a day's usage
        -- by geography into rows that differ only there, and each is billed.
        {{ surrogate_key([
            'billing_account_id', 'sub_account_id', 'resource_id', 'sku_id',
            'charge_category', 'charge_class', 'charge_description', 'charge_period_start_at',
            'region_id', 'sku_meter'
        ]) }} as focus_line_id,
        row_number() over (
            partition by
                quarantine_reason is null, billing_account_id, sub_account_id,
                resource_id, sku_id, charge_category, charge_class, charge_description,
                charge_period_start_at, region_id, sku_meter
            order by source_file desc, file_row_number desc
        ) as duplicate_rank
    from validated

),

final as (

    select
        ---------- ids
        focus_line_id,
        provider,
        billing_account_id,
        sub_account_id,
        resource_id,
        invoice_id,
        sku_id,
        ---------- strings
        model_name,
        usage_type,
        service_tier,
        charge_category,
        charge_class,
        charge_description,
        provider_name,
        host_provider_name,
        service_name,
        sku_meter,
        operation,
        consumed_unit,
        pricing_unit,
        base_unit,
        region_id,
        tags_json,
        currency_code,
        billed_cost_text,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'duplicate_rank > 1') }} as record_status,
        ---------- numerics
        billed_cost,
        effective_cost,
        list_cost,
        consumed_quantity,
        pricing_quantity,
        quantity,
        file_row_number,
        ---------- booleans
        coalesce(charge_class = 'Correction', false) as is_correction,
        coalesce(
            is_aws_cross_region_global and provider = 'aws_bedrock', false
        ) as is_cross_region_global,
        ---------- dates
        cast(charge_period_start_at as date) as usage_date,
        cast(billing_period_start_at as date) as billing_period_start_date,
        ---------- timestamps
        charge_period_start_at,
        charge_period_end_at
    from ranked

)

select * from final
