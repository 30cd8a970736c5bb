-- FOCUS 1.2 allowed values for ChargeCategory and ChargeClass.
select
    x_chargeback_line_id,
    "ChargeCategory",
    "ChargeClass"
from {{ ref('fct_focus_cost_and_usage') }}
where
    "ChargeCategory" not in ('Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment')
    or "ChargeCategory" is null
    or coalesce("ChargeClass", 'Correction') != 'Correction'
