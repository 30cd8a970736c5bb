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
        ProviderName as provider_name,
        PublisherName as publisher_name,
        ServiceName as service_name,
        ChargeCategory as charge_category,
        nullif(ChargeClass, '') as charge_class,
        ChargeDescription as charge_description,
        SkuMeter as sku_meter,
        ConsumedUnit as consumed_unit,
        PricingUnit as pricing_unit,
        RegionId as region_id,
        Tags as tags_json,
        upper(trim(BillingCurrency)) as currency_code,
        BilledCost as billed_cost_text,
        {{ parse_money('BilledCost') }} as billed_cost,
        {{ parse_money('EffectiveCost') }} as effective_cost,
        {{ parse_money('ListCost') }} as list_cost,
        try_cast(nullif(ConsumedQuantity, '') as decimal(38, 6)) as consumed_quantity,
        {{ iso_to_timestamp('ChargePeriodStart') }} as charge_period_start_at,
        {{ iso_to_timestamp("nullif(ChargePeriodEnd, '')") }} as charge_period_end_at,
        {{ iso_to_timestamp('BillingPeriodStart') }} as billing_period_start_at
    from source

),

categorized as (

    select
        *,
        case
            when provider_name ilike 'aws%' or service_name ilike '%bedrock%' then 'aws_bedrock'
            when service_name ilike '%openai%' then 'azure_openai'
            when service_name ilike '%vertex%' then 'gcp_vertex'
            else lower(provider_name)
        end as provider,
        case
            when charge_category = 'Tax' then 'tax'
            when charge_category = 'Credit' then 'credit'
            when charge_category = 'Adjustment' or charge_class = 'Correction' then 'adjustment'
            when charge_category = 'Purchase' then 'purchase'
            when sku_meter ilike '%cache read%' or charge_description ilike '%cache-read%'
                then 'cache_read'
            when sku_meter ilike '%cache write%' or charge_description ilike '%cache-write%'
                then 'cache_write_5m'
            when sku_meter ilike '%input%' then 'input_uncached'
            when sku_meter ilike '%output%' then 'output'
            else 'other'
        end as usage_type,
        -- The model is the part of the description before the meter (FOCUS has no model column).
        nullif(split_part(charge_description, ' ', 1), '') as model_name,
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
            when charge_category = 'Usage' and consumed_quantity < 0 then 'negative_usage'
            else {{ sign_contradicts_charge(
                "charge_category = 'Usage' and coalesce(charge_class, '') != 'Correction'",
                "charge_category = 'Credit'",
                'billed_cost'
            ) }}
        end as quarantine_reason
    from parsed

),

ranked as (

    select
        *,
        {{ surrogate_key([
            'billing_account_id', 'sub_account_id', 'resource_id', 'sku_id',
            'charge_category', 'charge_class', 'charge_description', 'charge_period_start_at'
        ]) }} as focus_line_id,
        row_number() over (
            partition by
                quarantine_reason is null, billing_account_id, sub_account_id,
                resource_id, sku_id, charge_category, charge_class, charge_description,
                charge_period_start_at
            order by source_file desc, file_row_number desc
        ) as duplicate_rank
    from categorized

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
        charge_category,
        charge_class,
        charge_description,
        sku_meter,
        consumed_unit,
        pricing_unit,
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
        file_row_number,
        ---------- booleans
        coalesce(charge_class = 'Correction', false) as is_correction,
        ---------- dates
        cast(charge_period_start_at as date) as usage_date,
        cast(billing_period_start_at as date) as billing_period_start_date,
        ---------- timestamps
        charge_period_start_at,
        charge_period_end_at
    from ranked

)

select * from final
