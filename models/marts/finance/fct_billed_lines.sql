-- One row per billed line as the provider exported it: the cost exports, FOCUS rows and
-- invoice non-usage lines that are valid, plus one invoice_rounding line per provider and
-- period, as int_billed_lines_unioned holds them (the amount in the line's own currency;
-- the rounding line in USD). The billed side of the reconciliation, line by line: the close
-- packet's provider_cost_export.csv and the BI copy read it. A table like the other marts,
-- built with int_reconciliation_line_tiers (also a table), so after the inbox's partial
-- rebuild it still lists the lines the reconciliation used.
with

billed_lines as (

    select * from {{ ref('int_billed_lines_unioned') }}

),

final as (

    select
        ---------- ids
        billed_line_id,
        billing_account_id,
        project_id,
        api_key_id,

        ---------- strings
        billing_period,
        provider,
        billed_source,
        project_key,
        model_name,
        model_key,
        usage_type,
        service_tier,
        inference_geo,
        line_type,
        corrects_period,
        currency_code,

        ---------- numerics
        quantity,
        amount,

        ---------- dates
        usage_date

    from billed_lines

)

select * from final
