-- One row per credit in the credits[] of a valid Vertex AI row of the Google Cloud Billing
-- export: Google writes a row's credits (promotions, committed-use and other discounts) in
-- the row itself, not as rows of their own, so each becomes a credit line here, as other
-- providers' credits are lines of their bills. The staging model checks each credit's
-- amount (numeric, never positive) and how many a row holds
-- (var google_max_credits_per_row); this model reads the first that many.
with

billing_rows as (

    select * from {{ ref('stg_google__billing_export') }}

),

vertex_rows as (

    select * from billing_rows
    where record_status = 'valid' and is_vertex_ai and credits_json is not null

),

credits as (

    {% for i in range(var('google_max_credits_per_row')) %}
        select
            billing_line_id,
            {{ i }} as credit_index,
            {{ json_path_text('credits_json', '$[' ~ i ~ '].name') }} as credit_name,
            {{ json_path_text('credits_json', '$[' ~ i ~ '].type') }} as credit_type,
            {{ json_path_text('credits_json', '$[' ~ i ~ '].id') }} as credit_id,
            {{ json_path_text('credits_json', '$[' ~ i ~ '].full_name') }} as credit_full_name,
            {{ json_path_text('credits_json', '$[' ~ i ~ '].amount') }} as credit_amount_text
        from vertex_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        ---------- ids
        {{ surrogate_key(['credits.billing_line_id', 'credits.credit_index']) }}
            as credit_line_id,
        credits.billing_line_id,
        vertex_rows.provider,
        vertex_rows.billing_account_id,
        vertex_rows.project_id,
        credits.credit_id,
        ---------- strings
        vertex_rows.model_name,
        credits.credit_name,
        credits.credit_type,
        credits.credit_full_name,
        vertex_rows.currency_code,
        vertex_rows.invoice_month,
        ---------- numerics
        credits.credit_index,
        coalesce(
            {{ parse_money('credits.credit_amount_text') }},
            cast(
                try_cast(trim(credits.credit_amount_text) as double)
                as decimal({{ var('money_precision') }}, {{ var('money_scale') }})
            )
        ) as credit_amount,
        ---------- dates
        vertex_rows.usage_date
    from credits
    inner join vertex_rows
        on credits.billing_line_id = vertex_rows.billing_line_id
    where credits.credit_amount_text is not null

)

select * from final
