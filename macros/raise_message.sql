{#- The adapter bodies raise_failure_messages dispatches to as raise_message (there is no public
    raise_message macro): an expression that fails the query with message, a SQL
    expression of the error text. -#}

{% macro default__raise_message(message) -%}
    error({{ message }})
{%- endmacro %}

{% macro spark__raise_message(message) -%}
    raise_error({{ message }})
{%- endmacro %}
