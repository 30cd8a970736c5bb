{#- dbt-spark's body of dbt's load_csv_rows (dbt seed), overridden: each text value is
    escaped for a Spark string literal (backslashes and single quotes) before dbt-spark's
    session cursor pastes it between quotes; dbt-spark pastes it as it is, so the catalog's
    regular expressions (seeds/model_match_rules.csv, ^claude-x-\d{8}$) lost their
    backslashes and a quote broke the statement. Otherwise dbt-spark 1.11's body. -#}
{% macro spark__load_csv_rows(model, agate_table) %}

  {% set batch_size = get_batch_size() %}
  {% set column_override = model['config'].get('column_types', {}) %}

  {% set statements = [] %}

  {% for chunk in agate_table.rows | batch(batch_size) %}
      {% set bindings = [] %}

      {% for row in chunk %}
          {% for value in row %}
              {% do bindings.append(
                  value | replace("\\", "\\\\") | replace("'", "\\'") if value is string else value
              ) %}
          {% endfor %}
      {% endfor %}

      {% set sql %}
          insert into {{ this.render() }} values
          {% for row in chunk -%}
              ({%- for col_name in agate_table.column_names -%}
                  {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                  {%- set type = column_override.get(col_name, inferred_type) -%}
                    cast({{ get_binding_char() }} as {{type}})
                  {%- if not loop.last%},{%- endif %}
              {%- endfor -%})
              {%- if not loop.last%},{%- endif %}
          {%- endfor %}
      {% endset %}

      {% do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) %}

      {% if loop.index0 == 0 %}
          {% do statements.append(sql) %}
      {% endif %}
  {% endfor %}

  {# Return SQL so we can render it out into the compiled files #}
  {{ return(statements[0]) }}
{% endmacro %}
