-- Every variance category the marts publish is one of the contract vocabulary
-- (macros/variance_categories.sql), or none on a line with nothing attributed.
select
    'fct_reconciliation_lines' as model_name,
    reconciliation_line_id as row_id,
    variance_category
from {{ ref('fct_reconciliation_lines') }}
where variance_category not in {{ in_list(variance_category_names() + ['none']) }}

union all

select
    'fct_variances' as model_name,
    variance_id as row_id,
    variance_category
from {{ ref('fct_variances') }}
where variance_category not in {{ in_list(variance_category_names()) }}
