-- A table, not a view like the other billing staging models: its credits are unrolled into
-- one query per position downstream (int_google_billing_credits_unnested), and on Spark
-- a view inlined that many times into the billed-lines union did not finish planning
-- (the heap ran out after 14 minutes on the demo).
{{ config(materialized='table') }}
{%- set max_credits = var('google_max_credits_per_row') -%}
with

source as (

    select * from {{ source('google', 'billing_export') }}

),

parsed as (

    -- The nested records arrive as JSON text (raw-table contract): each read once.
    select
        source_file,
        record_number as file_row_number,
        line_number,
        nullif(trim(billing_account_id), '') as billing_account_id,
        {{ json_text_to_struct('service', {'id': 'text', 'description': 'text'}) }}
            as service_fields,
        {{ json_text_to_struct('sku', {'id': 'text', 'description': 'text'}) }} as sku_fields,
        {{ json_text_to_struct('project', {'id': 'text', 'number': 'text', 'name': 'text'}) }}
            as project_fields,
        {{ json_text_to_struct('location', {'location': 'text', 'region': 'text'}) }}
            as location_fields,
        {{ json_text_to_struct('usage', {
            'amount': 'text', 'unit': 'text',
            'amount_in_pricing_units': 'text', 'pricing_unit': 'text'
        }) }} as usage_fields,
        {{ json_text_to_struct('invoice', {'month': 'text'}) }} as invoice_fields,
        {{ json_text_to_struct('adjustment_info', {'id': 'text', 'type': 'text'}) }}
            as adjustment_fields,
        nullif(trim(labels), '') as labels_json,
        nullif(trim(system_labels), '') as system_labels_json,
        nullif(trim(credits), '') as credits_json,
        nullif(trim(resource), '') as resource_json,
        nullif(trim(cost_type), '') as cost_type,
        nullif(trim(transaction_type), '') as transaction_type,
        nullif(trim(seller_name), '') as seller_name,
        upper(nullif(trim(currency), '')) as currency_code,
        nullif(trim(currency_conversion_rate), '') as currency_conversion_rate_text,
        cost as cost_text,
        -- BigQuery writes FLOAT64 as JSON numbers, in exponent form when small (1.2E-5).
        coalesce(
            {{ parse_money('cost') }},
            cast(try_cast(trim(cost) as double) as {{ money_type() }})
        ) as cost,
        nullif(trim(usage_start_time), '') as usage_start_time_text,
        {{ text_to_utc_timestamp('usage_start_time') }} as usage_start_at,
        {{ text_to_utc_timestamp('usage_end_time') }} as usage_end_at,
        {{ text_to_utc_timestamp('export_time') }} as exported_at,
        {%- for i in range(max_credits + 1) %}
            {{ json_path_text('credits', '$[' ~ i ~ '].amount') }} as credit_amount_{{ i }},
        {%- endfor %}
        nullif(trim(export_time), '') as export_time_text
    from source

),

fields as (

    select
        *,
        service_fields['id'] as service_id,
        service_fields['description'] as service_description,
        sku_fields['id'] as sku_id,
        sku_fields['description'] as sku_description,
        project_fields['id'] as project_id,
        project_fields['name'] as project_name,
        coalesce(location_fields['region'], location_fields['location']) as location_region,
        usage_fields['unit'] as usage_unit,
        usage_fields['pricing_unit'] as pricing_unit,
        usage_fields['amount'] as usage_amount_text,
        usage_fields['amount_in_pricing_units'] as pricing_amount_text,
        try_cast(usage_fields['amount'] as double) as usage_amount_double,
        try_cast(usage_fields['amount_in_pricing_units'] as double) as pricing_amount_double,
        invoice_fields['month'] as invoice_month,
        adjustment_fields['id'] as adjustment_id
    from parsed

),

classified as (

    select
        *,
        cast(usage_start_at as date) as usage_date,
        coalesce(service_description in {{ in_list(var('google_ai_services')) }}, false)
            as is_vertex_ai,
        case
            {%- for google_type, line_type in var('google_cost_types').items() %}
                when cost_type = {{ sql_string(google_type) }} then {{ sql_string(line_type) }}
            {%- endfor %}
        end as line_type,
        {{ google_sku_part('sku_description', 'usage_type') }} as token_kind,
        {{ google_sku_part('sku_description', 'service_tier') }} as service_tier,
        {{ google_sku_part('sku_description', 'model') }} as sku_model_name,
        {{ google_sku_part('sku_description', 'is_long_context') }} as is_long_context,
        {{ google_sku_part('sku_description', 'is_video') }} as is_video_sku,
        {{ pricing_unit_conversion('pricing_unit', 'factor') }} as pricing_unit_factor,
        {{ pricing_unit_conversion('pricing_unit', 'base_unit') }} as pricing_base_unit,
        {{ pricing_unit_conversion('usage_unit', 'factor') }} as usage_unit_factor,
        {{ pricing_unit_conversion('usage_unit', 'base_unit') }} as usage_base_unit,
        -- Exact decimals of BigQuery's FLOAT64 quantities (JSON may write 1.2288E-2).
        coalesce(
            try_cast(trim(pricing_amount_text) as decimal(26, 12)),
            cast(pricing_amount_double as decimal(26, 12))
        ) as amount_in_pricing_units,
        coalesce(
            try_cast(trim(usage_amount_text) as decimal(26, 12)),
            cast(usage_amount_double as decimal(26, 12))
        ) as usage_amount
    from fields

),

converted as (

    select
        *,
        case when line_type = 'usage' then token_kind else line_type end as usage_type,
        -- A token SKU counts its tokens: base unit count (or tokens) is a token count.
        {{ google_token_base_unit('pricing_base_unit') }} as base_unit,
        cast(amount_in_pricing_units * pricing_unit_factor as decimal(38, 6)) as quantity,
        case
            when usage_unit_factor is not null and usage_amount is not null
                then usage_amount * usage_unit_factor
        end as usage_quantity_in_base_units,
        case
            {%- for i in range(max_credits) %}
                when
                    credit_amount_{{ i }} is not null
                    and try_cast(credit_amount_{{ i }} as double) is null
                    then 'credit_amount_not_numeric'
                when try_cast(credit_amount_{{ i }} as double) > 0
                    then 'credit_with_positive_amount'
            {%- endfor %}
        end as credit_failure
    from classified

),

validated as (

    select
        *,
        case
            when not is_vertex_ai then null
            when cost is null then 'amount_not_numeric'
            when currency_code is null or currency_code not in {{ accepted_currency_list() }}
                then 'unknown_currency'
            when line_type is null then 'unknown_cost_type'
            when
                usage_date is null
                or not {{ is_plausible_timestamp('usage_start_at') }}
                then 'bad_charge_period'
            -- Veo's video-generation SKUs are billed per second of video, read by another
            -- reader (issue 27): never taken as tokens here.
            when line_type = 'usage' and is_video_sku then 'video_sku_not_read'
            when line_type = 'usage' and (token_kind is null or sku_model_name is null)
                then 'unknown_sku'
            when
                line_type = 'usage'
                and (
                    amount_in_pricing_units is null
                    or pricing_unit_factor is null
                    or base_unit is null
                )
                then 'unknown_pricing_unit'
            when
                line_type = 'usage'
                and usage_quantity_in_base_units is not null
                and usage_quantity_in_base_units != amount_in_pricing_units * pricing_unit_factor
                then 'quantity_units_disagree'
            when line_type = 'usage' and amount_in_pricing_units < 0 then 'negative_usage'
            when
                line_type = 'usage'
                and amount_in_pricing_units * pricing_unit_factor
                != floor(amount_in_pricing_units * pricing_unit_factor)
                then 'quantity_not_a_whole_number'
            when credit_amount_{{ max_credits }} is not null then 'too_many_credits'
            when credit_failure is not null then credit_failure
            else {{ sign_contradicts_charge("line_type = 'usage'", 'false', 'cost') }}
        end as quarantine_reason
    from converted

),

ranked as (

    select
        *,
        -- A row's identity in the export. Cloud Billing appends late usage of an hour as new
        -- rows (a later export_time), which add to the earlier ones; the same row in a
        -- later file (the month extracted again) supersedes the earlier file's.
        {{ surrogate_key([
            'billing_account_id', 'service_id', 'sku_id', 'project_id', 'location_region',
            'usage_start_time_text', 'cost_type', 'invoice_month', 'adjustment_id',
            'export_time_text', 'labels_json', 'system_labels_json', 'resource_json',
            'credits_json', 'cost_text'
        ]) }} as billing_line_id,
        row_number() over (
            partition by
                quarantine_reason is null, billing_account_id, service_id, sku_id, project_id,
                location_region, usage_start_time_text, cost_type, invoice_month, adjustment_id,
                export_time_text, labels_json, system_labels_json, resource_json, credits_json,
                cost_text
            order by source_file desc, file_row_number desc
        ) as duplicate_rank
    from validated

),

final as (

    select
        ---------- ids
        billing_line_id,
        case when is_vertex_ai then 'google' end as provider,
        billing_account_id,
        project_id,
        service_id,
        sku_id,
        adjustment_id,
        ---------- strings
        case when line_type = 'usage' then sku_model_name end as model_name,
        usage_type,
        service_tier,
        line_type,
        cost_type,
        service_description,
        sku_description,
        project_name,
        location_region,
        usage_unit,
        pricing_unit,
        base_unit,
        invoice_month,
        transaction_type,
        seller_name,
        labels_json,
        credits_json,
        currency_code,
        currency_conversion_rate_text,
        cost_text,
        source_file,
        quarantine_reason,
        {{ record_status('quarantine_reason', 'duplicate_rank > 1') }} as record_status,
        ---------- numerics
        cost,
        usage_amount,
        amount_in_pricing_units,
        quantity,
        file_row_number,
        line_number,
        ---------- booleans
        is_vertex_ai,
        is_long_context,
        ---------- dates
        usage_date,
        ---------- timestamps
        usage_start_at,
        usage_end_at,
        exported_at
    from ranked

)

select * from final
