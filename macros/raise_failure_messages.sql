{#- A data test that stops the build with its own words: the query in the call block
    returns one row per failure with a failure_message column; any row fails the query
    with one error naming every failure (prefix, then the messages in order), which dbt
    prints, where a plain test would only say "Got 1 result". -#}
{% macro raise_failure_messages(prefix) -%}
    {%- set messages = ordered_string_agg('failure_message', "'; '") -%}
with failures as (
    {{ caller() }}
)
select {{ messages }} as failure_message
from failures
-- Raised in HAVING so that dbt's count(*) wrapper cannot prune it away.
having
    count(*) > 0
    and {{ adapter.dispatch('raise_message')(sql_string(prefix) ~ ' || ' ~ messages) }} is null
{%- endmacro %}
