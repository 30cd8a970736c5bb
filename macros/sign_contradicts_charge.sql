{#- The quarantine reason when a billed amount's sign contradicts its charge type, one rule
    for invoices and FOCUS: a credit is negative, usage is not (a correction of usage is an
    adjustment, which may have either sign). NULL when the sign fits. -#}
{% macro sign_contradicts_charge(is_usage, is_credit, amount) -%}
    case
        when ({{ is_credit }}) and {{ amount }} > 0 then 'credit_with_positive_amount'
        when ({{ is_usage }}) and {{ amount }} < 0 then 'usage_with_negative_amount'
    end
{%- endmacro %}
