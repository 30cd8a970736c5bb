"""The demo landing zone (`recon demo-data`), in the providers' real export formats.

The generator simulates one organisation's AI traffic for three months: a "true" request
table (what really happened at the providers), the provider-side exports billed from it
(OpenAI costs/usage pages, Anthropic cost/usage report pages, AWS Bedrock in a FOCUS 1.2
with AWS columns CSV and a member account's CUR 2.0 export, Azure OpenAI in an EA
enrollment's Cost Management cost-details export, Vertex AI in a Cloud Billing account's
billing export extracted from BigQuery as gzipped JSON lines, invoice CSVs) and the gateway
telemetry that recorded it (LiteLLM SpendLogs CSV,
OpenTelemetry GenAI spans as OTLP/JSON lines, the project's own request log as Parquet),
plus prepaid recharges, reviewer decisions and sign-offs.

Every variance source the reconciliation must explain is injected on purpose and its
amount is written to `<out>/../ground_truth.json` (see DEMO_SCENARIO in README.md):

  timing_window          LiteLLM's clock runs CLOCK_SKEW_MINUTES behind the providers
  cache_pricing          LiteLLM drops cached-token counts for the support prod key
  tier_breakpoint        Bedrock contract volume tier (config/demo/contract_volume_tiers.csv)
  service_tier_or_batch  growth's batch jobs are logged without the batch flag, and so are
                         the Bedrock member account's Nova Lite batch jobs (CUR 2.0 usage
                         type ...-input-tokens-batch; the request log says standard)
  failed_request_billing Anthropic bills input of streams interrupted mid-way; OTel logs 0
  credit_or_promo        a trial credit on the September OpenAI invoice; a Vertex AI
                         promotional credit in the Google billing export's credits[]
                         (type PROMOTION), consumed from September until used up
  prior_period_correction an October OpenAI adjustment that corrects August
  tax_or_fee             FOCUS tax rows, CUR 2.0 tax line items and an invoice platform fee
  fx_rounding            invoice usage lines are rounded to the cent per model
  unpriced_model         a preview model missing from the price book
  missing_telemetry      a legacy OpenAI project no gateway sees, and a support script
                         calling OpenAI with its own key inside the support project,
                         which the gateway also serves (named through the costs'
                         api_key_id); an Azure OpenAI evaluation resource its notebooks
                         call directly (its own ResourceId in the cost details)
  unbilled_usage         Anthropic priority-tier usage absent from the cost report
  inference_geo_uplift   US-only inference (1.1x) in the residency workspace: LiteLLM logs
                         the response's inference_geo (priced at the multiple), OTel
                         traces of the same service do not (priced at list)

The same file holds `exception_ground_truth`: per fct_exceptions kind and period, the cost
of the flagged requests as the gateways logged them (or the billed batch cost, the
unapproved top-up), priced here independently of the warehouse.

Modules, in the order `generate.main` runs them:

  traffic         the workloads, the true request table and the billed and observed
                  token tables priced from it (DuckDB tables every writer reads)
  openai          OpenAI costs and usage pages
  invoices        the OpenAI invoice CSV
  anthropic       Anthropic cost report and usage pages
  focus           the FOCUS 1.2 with AWS columns CSV for AWS Bedrock (the payer's export)
  cur2            the CUR 2.0 export of the member account AWS_MEMBER_ACCOUNT (its Claude
                  Haiku 4.5 traffic through LiteLLM as `bedrock`, its Nova Lite batch jobs)
  azure           the cost-details export of the Azure OpenAI resources AZURE_RESOURCE_ID
                  (its traffic, through LiteLLM as `azure`, drawn apart) and
                  AZURE_EVAL_RESOURCE_ID (no telemetry)
  google          the billing export of the Cloud Billing account GOOGLE_BILLING_ACCOUNT
                  (Vertex AI; its traffic, through LiteLLM as `vertex_ai`, drawn apart;
                  so are the residency workspace's US-only Anthropic traffic and the
                  clouds' variance workloads CLOUD_VARIANCE_WORKLOADS); a promotional
                  credit in its rows' credits[]
  litellm, otel, request_log   gateway telemetry, one file per day
  finance_inputs  prepaid recharges, reviewer decisions, sign-offs
  ground_truth    what ground_truth.json says each injected source and exception amounts to
  files, amounts  what the writers share: JSON pages, CSV, per-day COPY; Decimal amounts
"""
