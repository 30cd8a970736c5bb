with

source as (

    select * from {{ source('aws', 'cur2_cost_and_usage') }}

),

parsed as (

    select
        source_file,
        record_number as file_row_number,
        identity_time_interval,
        bill_payer_account_id as billing_account_id,
        line_item_usage_account_id as usage_account_id,
        nullif(bill_invoice_id, '') as invoice_id,
        nullif(bill_billing_entity, '') as billing_entity,
        line_item_line_item_type as line_item_type,
        line_item_product_code as product_code,
        nullif(line_item_usage_type, '') as aws_usage_type,
        nullif(line_item_operation, '') as operation,
        nullif(line_item_resource_id, '') as resource_id,
        nullif(line_item_iam_principal, '') as iam_principal,
        line_item_line_item_description as line_item_description,
        nullif(trim(pricing_unit), '') as pricing_unit,
        nullif(product_region_code, '') as region_code,
        nullif(product_servicecode, '') as service_code,
        {{ json_text_to_struct('product', {'product_name': 'text'}) }} as product_fields,
        nullif(resource_tags, '') as tags_json,
        upper(trim(line_item_currency_code)) as currency_code,
        line_item_unblended_cost as unblended_cost_text,
        {{ parse_money('line_item_unblended_cost') }} as unblended_cost,
        {{ parse_money('line_item_net_unblended_cost') }} as net_unblended_cost,
        nullif(trim(line_item_usage_amount), '') as usage_amount_text,
        try_cast(nullif(trim(line_item_usage_amount), '') as decimal(26, 12)) as usage_amount,
        {{ iso_to_timestamp('line_item_usage_start_date') }} as usage_start_at,
        {{ iso_to_timestamp("nullif(line_item_usage_end_date, '')") }} as usage_end_at,
        {{ iso_to_timestamp('bill_billing_period_start_date') }} as billing_period_start_at
    from source

),

classified as (

    select
        *,
        product_fields['product_name'] as product_name,
        -- Bedrock: first-party usage (product code AmazonBedrock) and the Marketplace
        -- editions of partner models ("Claude Haiku 4.5 (Amazon Bedrock Edition)").
        coalesce(
            product_code = 'AmazonBedrock' or service_code = 'AmazonBedrock'
            or product_fields['product_name'] ilike '%(Amazon Bedrock Edition)%',
            false
        ) as is_bedrock,
        case
            {%- for aws_type, line_type in var('cur_line_item_types').items() %}
                when line_item_type = {{ sql_string(aws_type) }}
                    then {{ sql_string(line_type) }}
            {%- endfor %}
        end as line_type,
        {{ aws_usage_type_part('aws_usage_type', 'token_kind') }} as token_kind,
        {{ pricing_unit_conversion('pricing_unit', 'factor') }} as pricing_unit_factor,
        {{ pricing_unit_conversion('pricing_unit', 'base_unit') }} as base_unit
    from parsed

),

converted as (

    select
        *,
        -- The usage amount is in the pricing unit (42.215 in 1K tokens is 42,215 tokens).
        cast(usage_amount * pricing_unit_factor as decimal(38, 6)) as quantity,
        case
            when line_type = 'usage'
                then coalesce(
                    token_kind,
                    case when base_unit in ('images', 'seconds') then base_unit end
                )
            else line_type
        end as usage_type,
        {{ aws_usage_type_part('aws_usage_type', 'service_tier') }} as service_tier,
        {{ aws_bedrock_model_name('resource_id', 'product_name', 'aws_usage_type') }}
            as model_name
    from classified

),

validated as (

    select
        *,
        case
            when not is_bedrock then null
            when unblended_cost is null then 'amount_not_numeric'
            when currency_code is null or currency_code not in {{ accepted_currency_list() }}
                then 'unknown_currency'
            when line_type is null then 'unknown_line_item_type'
            when not {{ is_plausible_timestamp('usage_start_at') }} then 'bad_charge_period'
            when
                line_type = 'usage' and usage_amount_text is not null
                and pricing_unit_factor is null
                then 'unknown_pricing_unit'
            when line_type = 'usage' and usage_amount < 0 then 'negative_usage'
            when
                line_type = 'usage' and base_unit = 'tokens'
                and quantity != floor(quantity)
                then 'quantity_not_a_whole_number'
            when line_type = 'usage' and usage_type is null then 'unknown_usage_type'
            else {{ sign_contradicts_charge(
                "line_type = 'usage'", "line_type = 'credit'", 'unblended_cost'
            ) }}
        end as quarantine_reason
    from converted

),

ranked as (

    select
        *,
        -- A line item's identity in the bill; a later delivery of the same billing period
        -- (a later file) holds the same line items and supersedes the earlier one. The region
        -- and the tags are part of it: AWS splits a day's usage by geography and by tag value.
        {{ surrogate_key([
            'billing_account_id', 'usage_account_id', 'line_item_type', 'product_code',
            'aws_usage_type', 'operation', 'resource_id', 'iam_principal',
            'identity_time_interval', 'line_item_description', 'region_code', 'tags_json'
        ]) }} as cur_line_id,
        row_number() over (
            partition by
                quarantine_reason is null, billing_account_id, usage_account_id,
                line_item_type, product_code, aws_usage_type, operation, resource_id,
                iam_principal, identity_time_interval, line_item_description, region_code,
                tags_json
            order by source_file desc, file_row_number desc
        ) as duplicate_rank
    from validated

),

final as (

    select
        ---------- ids
        cur_line_id,
        case when is_bedrock then 'aws_bedrock' end as provider,
        billing_account_id,
        usage_account_id,
        invoice_id,
        resource_id,
        iam_principal,
        ---------- strings
        model_name,
        usage_type,
        service_tier,
        line_type,
        line_item_type,
        product_code,
        product_name,
        billing_entity,
        aws_usage_type,
        operation,
        line_item_description,
        pricing_unit,
        base_unit,
        region_code,
        tags_json,
        currency_code,
        unblended_cost_text,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'duplicate_rank > 1') }} as record_status,
        ---------- numerics
        unblended_cost,
        net_unblended_cost,
        usage_amount,
        quantity,
        file_row_number,
        ---------- booleans
        is_bedrock,
        {{ aws_usage_type_part('aws_usage_type', 'is_cross_region_global') }}
            as is_cross_region_global,
        ---------- dates
        cast(usage_start_at as date) as usage_date,
        cast(billing_period_start_at as date) as billing_period_start_date,
        ---------- timestamps
        usage_start_at,
        usage_end_at
    from ranked

)

select * from final
