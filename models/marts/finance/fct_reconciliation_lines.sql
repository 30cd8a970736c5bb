-- One row per period x provider x billing account x project/workspace x model x usage
-- type x line type: the reconciliation lines, with statuses, decisions and closed periods
-- applied (int_reconciliation_lines_decided), published under the enforced contract.
select * from {{ ref('int_reconciliation_lines_decided') }}
