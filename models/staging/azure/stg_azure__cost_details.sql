with

source as (

    select * from {{ source('azure', 'cost_details') }}

),

parsed as (

    select
        source_file,
        record_number as file_row_number,
        nullif(trim(billingaccountid), '') as billing_account_id,
        nullif(trim(billingprofileid), '') as billing_profile_id,
        nullif(trim(subscriptionid), '') as subscription_id,
        coalesce(nullif(trim(resourcegroup), ''), nullif(trim(resourcegroupname), ''))
            as resource_group,
        -- Azure Resource Manager ids are case-insensitive; exports write them in either case.
        nullif(lower(trim(resourceid)), '') as resource_id,
        nullif(trim(resourcelocation), '') as resource_location,
        nullif(trim(productname), '') as product_name,
        nullif(trim(meterid), '') as meter_id,
        nullif(trim(metername), '') as meter_name,
        nullif(trim(metercategory), '') as meter_category,
        nullif(trim(metersubcategory), '') as meter_sub_category,
        nullif(trim(unitofmeasure), '') as unit_of_measure,
        nullif(trim(chargetype), '') as charge_type,
        nullif(trim(pricingmodel), '') as pricing_model,
        nullif(trim(costcenter), '') as cost_center,
        nullif(trim(tags), '') as tags_json,
        upper(trim(coalesce(nullif(trim(billingcurrency), ''), billingcurrencycode)))
            as currency_code,
        costinbillingcurrency as cost_text,
        {{ parse_money('costinbillingcurrency') }} as cost_in_billing_currency,
        nullif(trim(quantity), '') as quantity_text,
        try_cast(nullif(trim(quantity), '') as decimal(26, 12)) as usage_quantity,
        -- The CSV exports write dates as MM/DD/YYYY; ISO dates are read as written.
        case
            when {{ regex_full_match('trim(date)', '[0-9]{2}/[0-9]{2}/[0-9]{4}') }}
                then
                    substring(trim(date), 7, 4) || '-'
                    || substring(trim(date), 1, 2) || '-'
                    || substring(trim(date), 4, 2)
            else trim(date)
        end as usage_date_text,
        case
            when {{ regex_full_match(
                'trim(billingperiodstartdate)', '[0-9]{2}/[0-9]{2}/[0-9]{4}'
            ) }}
                then
                    substring(trim(billingperiodstartdate), 7, 4) || '-'
                    || substring(trim(billingperiodstartdate), 1, 2) || '-'
                    || substring(trim(billingperiodstartdate), 4, 2)
            else trim(billingperiodstartdate)
        end as billing_period_start_text
    from source

),

classified as (

    select
        *,
        {{ text_to_date('usage_date_text') }} as usage_date,
        {{ text_to_date('billing_period_start_text') }} as billing_period_start_date,
        -- Azure OpenAI: the meter's category, sub-category or product names OpenAI.
        {{ is_azure_openai_row('meter_category', 'meter_sub_category', 'product_name') }}
            as is_azure_openai,
        case
            {%- for azure_type, line_type in var('azure_charge_types').items() %}
                when charge_type = {{ sql_string(azure_type) }}
                    then {{ sql_string(line_type) }}
            {%- endfor %}
        end as line_type,
        {{ azure_meter_part('meter_name', 'meter_sub_category', 'token_kind') }} as token_kind
    from parsed

),

united as (

    select
        *,
        -- A token meter's unitOfMeasure counts thousands or millions of the meter's tokens
        -- (1K, 1M): read as "1K tokens" through var pricing_units, never as a token count.
        {{ azure_token_unit('unit_of_measure', 'meter_name') }} as pricing_unit
    from classified

),

converted as (

    select
        *,
        {{ pricing_unit_conversion('pricing_unit', 'factor') }} as pricing_unit_factor,
        {{ pricing_unit_conversion('pricing_unit', 'base_unit') }} as base_unit,
        case when line_type = 'usage' then token_kind else line_type end as usage_type,
        {{ azure_meter_part('meter_name', 'meter_sub_category', 'service_tier') }}
            as service_tier,
        {{ azure_meter_part('meter_name', 'meter_sub_category', 'deployment_type') }}
            as deployment_type,
        {{ azure_meter_part('meter_name', 'meter_sub_category', 'model') }} as model_name
    from united

),

validated as (

    select
        *,
        cast(usage_quantity * pricing_unit_factor as decimal(38, 6)) as quantity,
        case
            when not is_azure_openai then null
            when cost_in_billing_currency is null then 'amount_not_numeric'
            when currency_code is null or currency_code not in {{ accepted_currency_list() }}
                then 'unknown_currency'
            when line_type is null then 'unknown_charge_type'
            when
                usage_date is null
                or not {{ is_plausible_timestamp('cast(usage_date as timestamp)') }}
                then 'bad_charge_period'
            when line_type = 'usage' and token_kind is null then 'unknown_meter'
            when
                line_type = 'usage' and quantity_text is not null
                and (usage_quantity is null or pricing_unit_factor is null)
                then 'unknown_pricing_unit'
            when line_type = 'usage' and usage_quantity < 0 then 'negative_usage'
            when
                line_type = 'usage'
                and usage_quantity * pricing_unit_factor
                != floor(usage_quantity * pricing_unit_factor)
                then 'quantity_not_a_whole_number'
            else {{ sign_contradicts_charge(
                "line_type = 'usage'", "line_type = 'credit'", 'cost_in_billing_currency'
            ) }}
        end as quarantine_reason
    from converted

),

ranked as (

    select
        *,
        -- A row's identity in the export; a later export of the same period (a later file)
        -- holds the same rows and supersedes the earlier one. The meter (with its deployment
        -- type), the resource and the tags are part of it: Azure splits a day's usage by each.
        {{ surrogate_key([
            'billing_account_id', 'subscription_id', 'resource_id', 'meter_id', 'meter_name',
            'meter_sub_category', 'charge_type', 'pricing_model', 'usage_date_text', 'tags_json'
        ]) }} as cost_detail_line_id,
        row_number() over (
            partition by
                quarantine_reason is null, billing_account_id, subscription_id, resource_id,
                meter_id, meter_name, meter_sub_category, charge_type, pricing_model,
                usage_date_text, tags_json
            order by source_file desc, file_row_number desc
        ) as duplicate_rank
    from validated

),

final as (

    select
        ---------- ids
        cost_detail_line_id,
        case when is_azure_openai then 'azure_openai' end as provider,
        billing_account_id,
        billing_profile_id,
        subscription_id,
        resource_group,
        resource_id,
        meter_id,
        ---------- strings
        model_name,
        usage_type,
        service_tier,
        deployment_type,
        line_type,
        charge_type,
        pricing_model,
        meter_name,
        meter_category,
        meter_sub_category,
        product_name,
        unit_of_measure,
        pricing_unit,
        base_unit,
        resource_location,
        cost_center,
        tags_json,
        currency_code,
        cost_text,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'duplicate_rank > 1') }} as record_status,
        ---------- numerics
        cost_in_billing_currency,
        usage_quantity,
        quantity,
        file_row_number,
        ---------- booleans
        is_azure_openai,
        ---------- dates
        usage_date,
        billing_period_start_date
    from ranked

)

select * from final
