{#- The owner-mapping match (SCD2), once: a mapping row applies to a request when the
    provider matches, the key is of the level ('api_key', or 'project': a project or
    workspace mapping) and equals the request's, and the day is in [valid_from, valid_to).
    Which mapping wins (the key's, else the project's) is int_usage_requests_owned's rule. -#}
{% macro owner_mapping_applies(requests, mapping, level, at_date) -%}
    {{ requests }}.provider = {{ mapping }}.provider
    {%- if level == 'api_key' %}
        and {{ mapping }}.key_type = 'api_key'
        and {{ requests }}.api_key_id = {{ mapping }}.key_id
    {%- else %}
        and {{ mapping }}.key_type in ('project', 'workspace')
        and {{ requests }}.project_id = {{ mapping }}.key_id
    {%- endif %}
        and {{ at_date }} >= {{ mapping }}.valid_from
        and {{ at_date }} < {{ mapping }}.valid_to
{%- endmacro %}
