-- FOCUS 1.2 allowed values for ChargeCategory and ChargeClass (column names quoted as the
-- engine quotes them: "..." on DuckDB, `...` on Spark).
{%- set charge_category = adapter.quote('ChargeCategory') %}
{%- set charge_class = adapter.quote('ChargeClass') %}
select
    x_chargeback_line_id,
    {{ charge_category }},
    {{ charge_class }}
from {{ ref('fct_focus_cost_and_usage') }}
where
    {{ charge_category }} not in ('Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment')
    or {{ charge_category }} is null
    or coalesce({{ charge_class }}, 'Correction') != 'Correction'
