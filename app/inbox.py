"""The reviewer inbox and the close dashboard: `make app` (streamlit run app/inbox.py).

Reads the published marts (target/marts.duckdb, the read-only copy BI tools read) and never
computes a figure of its own: statuses, residuals, tolerances, owners, memo lines and
chargeback all come from a mart. A reviewer's action writes a decision record and rebuilds
what depends on decisions (ai_spend_recon.review_actions).
"""

from __future__ import annotations

from datetime import UTC, datetime

import altair as alt
import duckdb
import pandas as pd
import streamlit as st

from ai_spend_recon.close_packet import markdown_text as packet_markdown_text
from ai_spend_recon.close_packet import money
from ai_spend_recon.review_actions import (
    ACTIONS_BY_STATUS,
    DecisionRefused,
    Line,
    Settings,
    allowed_actions,
    last_rebuild,
    rebuild,
    record_decision,
)

STATUSES = list(ACTIONS_BY_STATUS)
ACTION_LABELS = {
    "CONFIRM": "Confirm",
    "WRITE_OFF": "Write off",
    "DEFER": "Defer",
    "DISPUTE": "Dispute",
    "REOPEN": "Reopen",
}
MONEY = st.column_config.NumberColumn(format="dollar")
# Column headings and formats of the line and summary tables (a table ignores the rest).
COLUMNS = {
    "project_id": "project",
    "usage_type": "usage type",
    "line_type": "line type",
    "variance_category": "category",
    "evidence": st.column_config.TextColumn("evidence", width="large"),
    "billing_period": "billed in",
    "billed_usd": st.column_config.NumberColumn("billed", format="dollar"),
    "observed_usd": st.column_config.NumberColumn("observed", format="dollar"),
    "variance_usd": st.column_config.NumberColumn("variance", format="dollar"),
    "written_off_usd": st.column_config.NumberColumn("written off", format="dollar"),
    "disputed_usd": st.column_config.NumberColumn("disputed", format="dollar"),
    "claimed_usd": st.column_config.NumberColumn("claimed", format="dollar"),
    "credit_usd": st.column_config.NumberColumn("credit", format="dollar"),
    "claim_status": "claim",
    "credit_period": "credited in",
    "provider_quantity": "provider quantity",
    "observed_quantity": "observed quantity",
    "provider_unit_rate": st.column_config.NumberColumn("provider rate", format="%.8f"),
    "observed_unit_rate": st.column_config.NumberColumn("observed rate", format="%.8f"),
    "residual_usd": st.column_config.NumberColumn("residual", format="dollar"),
    "residual_pct": st.column_config.NumberColumn("residual %", format="%.2f%%"),
    "tolerance_usd": st.column_config.NumberColumn("tolerance", format="dollar"),
    "is_within_tolerance": "within tolerance",
    "open_line_count": "open lines",
    "quarantined_row_count": "quarantined rows",
}

settings = Settings.from_env()
st.set_page_config(page_title="AI spend close", page_icon=":white_check_mark:", layout="wide")


def load(sql: str, params: list | None = None) -> pd.DataFrame:
    """A query on the published marts (read-only; the build never holds this file)."""
    with duckdb.connect(str(settings.marts_db), read_only=True) as con:
        return con.execute(sql, params or []).df()


def markdown_text(text: str) -> str:
    """Text from the marts shown literally: the close packet's Markdown escaping, plus the
    two characters Streamlit's Markdown also reads (LaTeX `$`, strikethrough `~`)."""
    return packet_markdown_text(text).replace("$", "\\$").replace("~", "\\~")


def show_rebuild_state() -> None:
    result = last_rebuild(settings)
    if result is not None and not result.ok:
        published = settings.marts_db.stat().st_mtime
        if published > settings.status_file.stat().st_mtime:
            return  # a build since (e.g. `make demo`) has published the marts again
    if result is None or result.ok:
        if result is not None:
            st.sidebar.caption(f"Last rebuild: {result.finished_at}, {result.seconds} s, green.")
        return
    if result.busy:
        st.warning(
            "The warehouse is busy: another build holds the database, so the last rebuild "
            "could not run. Every decision is saved in the decisions folder and is applied "
            "by the next build; use *Rebuild now* in the sidebar to retry."
        )
    else:
        st.error(
            "The last rebuild failed, so the figures below are from the build before it. "
            "Every decision is saved in the decisions folder. dbt said:"
        )
        st.code(result.message or "(no message)", language=None)


def rebuild_now() -> None:
    with st.spinner("Rebuilding what depends on decisions..."):
        result = rebuild(settings)
    st.session_state["flash"] = (
        ("success", f"Rebuilt in {result.seconds} s.")
        if result.ok
        else ("error", "Rebuild failed.")
    )


def variance_bridge(billed, observed, variances: pd.DataFrame) -> alt.LayerChart:
    """A waterfall from billed to observed: one floating bar per variance category (each
    amount as fct_variances has it), on an axis zoomed to where the steps happen."""
    bars, level = [], float(billed)
    for row in variances.itertuples():
        end = level - float(row.amount_usd)
        kind = "billed more" if row.amount_usd > 0 else "observed more"
        bars.append((row.variance_category, level, end, float(row.amount_usd), kind))
        level = end
    levels = [float(billed), float(observed)] + [b[2] for b in bars]
    margin = max((max(levels) - min(levels)) * 0.25, 1.0)
    low = min(levels) - margin
    bars = [
        ("billed", low, float(billed), float(billed), "total"),
        *bars,
        ("observed", low, float(observed), float(observed), "total"),
    ]
    frame = pd.DataFrame(bars, columns=["step", "start", "end", "amount", "kind"])
    base = alt.Chart(frame).encode(x=alt.X("step:N", sort=None, title=None))
    scale = alt.Scale(domain=[low, max(levels) + margin], clamp=True)
    columns = base.mark_bar().encode(
        y=alt.Y("start:Q", title="USD", scale=scale),
        y2="end:Q",
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(
                domain=["total", "billed more", "observed more"],
                range=["#4c78a8", "#e45756", "#54a24b"],
            ),
            legend=alt.Legend(title=None, orient="top"),
        ),
        tooltip=["step", alt.Tooltip("amount:Q", format="$,.2f")],
    )
    labels = base.mark_text(dy=-8).encode(
        y=alt.Y("end:Q", scale=scale),
        text=alt.Text("amount:Q", format="$,.2f"),
    )
    return columns + labels


# ---------------------------------------------------------------- sidebar and empty states
st.sidebar.title("AI spend close")
reviewer = st.sidebar.text_input(
    "Reviewer (name or email)",
    key="reviewer",
    help="Goes on the audit trail of every decision you record.",
)
st.sidebar.caption(f"Marts: {settings.marts_db}")
st.sidebar.caption(f"Decisions land in: {settings.decisions_dir}")
if st.sidebar.button("Rebuild now", help="Rebuild what depends on decisions and republish."):
    rebuild_now()

if not settings.marts_db.exists():
    st.title("AI spend close")
    st.info(
        "No data yet: the marts have not been published. Run `make demo` (or your own "
        "`RECON_RAW_DIR=... make demo`), then reload this page."
    )
    st.stop()

show_rebuild_state()
flash = st.session_state.pop("flash", None)
if flash:
    getattr(st, flash[0])(flash[1])

try:
    summary = load(
        "select * from fct_period_summary order by billing_period, provider = 'all', provider"
    )
except duckdb.Error as error:
    st.title("AI spend close")
    st.error(f"The published marts cannot be read ({settings.marts_db}): {error}")
    st.stop()
if summary.empty:
    st.title("AI spend close")
    st.info("No data yet: the build found no billed or observed spend in the landing zone.")
    st.stop()

period_rows = summary[summary.provider == "all"].set_index("billing_period")
periods = list(period_rows.index)
open_periods = [p for p in periods if not period_rows.loc[p, "is_closed"]]
default_period = open_periods[0] if open_periods else periods[-1]

# ---------------------------------------------------------------- toolbar
title_col, period_col = st.columns([3, 1])
period = period_col.selectbox("Period", periods, index=periods.index(default_period), key="period")
is_closed = bool(period_rows.loc[period, "is_closed"])
title_col.title(f"Close {period}" + (" (closed)" if is_closed else ""))

inbox_tab, dashboard_tab = st.tabs(["Inbox", "Close dashboard"])

# ---------------------------------------------------------------- inbox
with inbox_tab:
    lines = load(
        """
        select lines.*, variances.memo_line
        from fct_reconciliation_lines as lines
        left join fct_variances as variances
            on lines.billing_period = variances.billing_period
            and lines.provider = variances.provider
            and lines.variance_category = variances.variance_category
        where ? in (lines.reconciled_in_period, lines.billing_period)
        order by abs(lines.variance_usd) desc, lines.reconciliation_line_id
        """,
        [period],
    )
    owners = load(
        """
        select reconciliation_line_id, team, share_pct
        from fct_reconciliation_line_owners
        where reconciliation_line_id in (
            select reconciliation_line_id from fct_reconciliation_lines
            where ? in (reconciled_in_period, billing_period))
        order by reconciliation_line_id, share_pct desc, team
        """,
        [period],
    )
    owner_text = {
        line_id: ", ".join(f"{r.team} {r.share_pct:.0f}%" for r in rows.itertuples())
        for line_id, rows in owners.groupby("reconciliation_line_id")
    }
    lines["owner"] = lines.reconciliation_line_id.map(owner_text).fillna("by chargeback rule")
    lines["evidence"] = lines.memo_line.fillna("Billed and observed agree on this line.")
    closed_periods = set(periods) - set(open_periods)
    lines["is_locked"] = lines.billing_period.isin(closed_periods)

    counts = lines.status.value_counts()
    statuses = st.pills(
        "Status",
        STATUSES,
        selection_mode="multi",
        default=["unreconciled"],
        key="statuses",
    )
    st.caption(
        f"Lines in {period}: "
        + " · ".join(f"{status} {counts.get(status, 0)}" for status in STATUSES),
    )
    view = lines[lines.status.isin(statuses or [])]

    if view.empty:
        st.success(
            f":material/check_circle: Nothing {' or '.join(statuses or ['selected'])} in "
            f"{period}: the queue is cleared."
        )
    else:
        st.dataframe(
            view[
                [
                    "status",
                    "provider",
                    "project_id",
                    "model",
                    "usage_type",
                    "line_type",
                    "billed_usd",
                    "observed_usd",
                    "variance_usd",
                    "variance_category",
                    "owner",
                    "evidence",
                    "billing_period",
                    "decision",
                    "note",
                    "actor",
                ]
            ],
            hide_index=True,
            column_config=COLUMNS,
            key="inbox_table",
        )

    # ---- actions
    if is_closed:
        st.info(
            f":material/lock: {period} is closed: its lines come from its close record and are "
            "read-only. A later change is posted as an adjustment in the next open period."
        )
    elif not view.empty:
        actionable = view[~view.is_locked]
        if st.session_state.pop("clear_form", False):
            st.session_state["selected_lines"] = []
            st.session_state["note"] = ""
        labels = {
            row.reconciliation_line_id: (
                f"{row.provider} · {row.project_id} · {row.model} · {row.usage_type} · "
                f"{row.status} · variance {money(row.variance_usd)}"
            )
            for row in actionable.itertuples()
        }
        # Lines chosen under another filter or period are no longer offered.
        st.session_state["selected_lines"] = [
            line_id for line_id in st.session_state.get("selected_lines", []) if line_id in labels
        ]
        st.subheader("Act on lines")
        if st.button("Select every line shown", key="select_all"):
            st.session_state["selected_lines"] = list(labels)
        selected = st.multiselect(
            "Lines",
            list(labels),
            format_func=labels.get,
            key="selected_lines",
            placeholder="Choose the lines to act on",
        )
        note = st.text_area(
            "Note (required to write off or dispute; it goes on the audit trail)",
            key="note",
            height=68,
        )
        chosen = actionable[actionable.reconciliation_line_id.isin(selected)]
        possible = allowed_actions(set(chosen.status))
        buttons = st.columns(len(ACTION_LABELS))
        clicked = None
        for column, (action, label) in zip(buttons, ACTION_LABELS.items(), strict=True):
            if column.button(
                label, key=f"action_{action}", disabled=action not in possible, type="primary"
            ):
                clicked = action
        if clicked:
            targets = [
                Line(row.reconciliation_line_id, row.billing_period, row.provider, row.status)
                for row in chosen.itertuples()
            ]
            try:
                written = record_decision(settings, targets, clicked, reviewer, note)
            except DecisionRefused as refusal:
                st.error(markdown_text(str(refusal)))
            else:
                with st.spinner("Recorded. Rebuilding what depends on decisions..."):
                    result = rebuild(settings, sorted({line.billing_period for line in targets}))
                outcome = f"rebuilt in {result.seconds} s" if result.ok else "the rebuild failed"
                st.session_state["flash"] = (
                    "success" if result.ok else "warning",
                    f"{ACTION_LABELS[clicked]}: {len(targets)} line(s) recorded in "
                    f"decisions/{written.name}; {outcome}.",
                )
                st.session_state["clear_form"] = True
                st.rerun()

    # ---- period summary (the bottom row of the inbox)
    st.subheader(f"Period summary {period}")
    total = period_rows.loc[period]
    cells = st.columns(6)
    cells[0].metric("Billed", money(total.billed_usd))
    cells[1].metric("Observed", money(total.observed_usd))
    cells[2].metric("Written off", money(total.written_off_usd))
    cells[3].metric("Disputed", money(total.disputed_usd))
    cells[4].metric("Residual", money(total.residual_usd))
    cells[5].metric(
        f"Tolerance ± {money(total.tolerance_usd)}",
        "within" if total.is_within_tolerance else "outside",
    )
    st.dataframe(
        summary[summary.billing_period == period][
            [
                "provider",
                "billed_usd",
                "observed_usd",
                "written_off_usd",
                "disputed_usd",
                "residual_usd",
                "tolerance_usd",
                "is_within_tolerance",
                "open_line_count",
            ]
        ],
        hide_index=True,
        column_config=COLUMNS,
        key="inbox_summary",
    )
    # ---- claims against providers: disputed lines of the period, and claims a credit
    # billed in the period settles (fct_provider_claims)
    claims = load(
        """
        select * from fct_provider_claims
        where ? in (billing_period, credit_period)
        order by billing_period, provider, claim_line_id
        """,
        [period],
    )
    if not claims.empty:
        st.subheader("Claims against providers")
        st.dataframe(
            claims[
                [
                    "claim_status",
                    "provider",
                    "project_id",
                    "model",
                    "usage_type",
                    "billing_period",
                    "provider_quantity",
                    "observed_quantity",
                    "provider_unit_rate",
                    "observed_unit_rate",
                    "billed_usd",
                    "observed_usd",
                    "claimed_usd",
                    "credit_usd",
                    "credit_period",
                    "note",
                    "actor",
                ]
            ],
            hide_index=True,
            column_config=COLUMNS,
            key="inbox_claims",
        )

    with st.expander("Evidence behind a line"):
        if lines.empty:
            st.write("No lines in this period.")
        else:
            by_id = lines.set_index("reconciliation_line_id")
            detail_id = st.selectbox(
                "Line",
                list(by_id.index),
                format_func=lambda line_id: " · ".join(
                    str(by_id.loc[line_id, column])
                    for column in ["provider", "project_id", "model", "usage_type", "status"]
                ),
                key="detail_line",
            )
            row = by_id.loc[detail_id]
            category_amounts = {
                column.removesuffix("_usd"): row[column]
                for column in lines.columns
                if column.endswith("_usd")
                and column not in {"billed_usd", "observed_usd", "variance_usd"}
                and row[column]
            }
            st.markdown(markdown_text(row.evidence))
            st.write(
                {
                    "line": detail_id,
                    "category amounts (USD)": category_amounts,
                    "provider quantity": row.provider_quantity,
                    "observed quantity": row.observed_quantity,
                    "observed requests": row.observed_request_count,
                    "failed requests": row.failed_request_count,
                    "service tiers": row.service_tiers,
                    "owner": row.owner,
                    "decision": row.decision,
                    "decided by": row.actor,
                    "decided at": str(row.decided_at) if pd.notna(row.decided_at) else None,
                    "note": row.note,
                }
            )

# ---------------------------------------------------------------- close dashboard
with dashboard_tab:
    signoffs = load(
        "select * from fct_period_signoffs where billing_period = ? order by signoff_role",
        [period],
    )
    missing = list(signoffs[~signoffs.is_signed].signoff_role)
    state = st.columns(4)
    state[0].metric("Closed", "yes" if is_closed else "no")
    state[1].metric("Within tolerance", "yes" if total.is_within_tolerance else "no")
    state[2].metric("Sign-offs", f"{int(total.signoff_count)}/{len(signoffs)}")
    state[3].metric("Open lines", int(total.open_line_count))
    if missing:
        st.warning("Missing sign-off: " + ", ".join(missing))
    repeated = sorted(set(signoffs[signoffs.is_signer_on_another_role].signer))
    if repeated:
        st.warning(
            f"{', '.join(markdown_text(signer) for signer in repeated)} signed more than one"
            " role: the roles need three "
            "different people."
        )

    st.subheader("Summary and tolerance per provider")
    period_summary = summary[summary.billing_period == period]
    st.dataframe(
        period_summary[
            [
                "provider",
                "billed_usd",
                "observed_usd",
                "written_off_usd",
                "residual_usd",
                "residual_pct",
                "tolerance_usd",
                "is_within_tolerance",
                "quarantined_row_count",
            ]
        ],
        hide_index=True,
        column_config=COLUMNS,
        key="dashboard_summary",
    )

    st.subheader("Variance bridge: billed to observed")
    by_residual = period_summary[period_summary.provider != "all"].sort_values(
        "residual_usd", key=lambda residual: -residual.abs()
    )
    providers = list(by_residual.provider)  # the largest residual first
    bridge_provider = st.selectbox("Provider", providers, key="bridge_provider")
    if bridge_provider is not None:
        variances = load(
            """
            select variance_category, amount_usd
            from fct_variances where billing_period = ? and provider = ?
            order by abs(amount_usd) desc, variance_category
            """,
            [period, bridge_provider],
        )
        provider_total = period_summary.set_index("provider").loc[bridge_provider]
        st.altair_chart(
            variance_bridge(provider_total.billed_usd, provider_total.observed_usd, variances),
            width="stretch",
        )

    st.subheader("Variance memo")
    memo = load(
        """
        select provider, variance_category, memo_line from fct_variances
        where billing_period = ? order by provider, abs(amount_usd) desc, variance_category
        """,
        [period],
    )
    if memo.empty:
        st.write("No variance in this period.")
    for provider, rows in memo.groupby("provider", sort=False):
        st.markdown(f"**{markdown_text(provider)}**")
        st.markdown(
            "\n".join(
                f"- *{markdown_text(r.variance_category)}*: {markdown_text(r.memo_line)}"
                for r in rows.itertuples()
            )
        )

    st.subheader("Sign-offs")
    st.dataframe(
        signoffs[["signoff_role", "signer", "signed_at", "is_signed", "refused_signoffs"]],
        hide_index=True,
        key="signoffs",
    )

    st.subheader("Exceptions to act on")
    exceptions = load(
        """
        select kind, provider, subject, team, cost_center, amount_usd, item_count,
            suggested_action
        from fct_exceptions where billing_period = ? or billing_period is null
        order by amount_usd desc nulls last, kind, subject
        """,
        [period],
    )
    st.dataframe(exceptions, hide_index=True, column_config={"amount_usd": MONEY}, key="exceptions")

    left, right = st.columns(2)
    with left:
        st.subheader("Chargeback by team and cost center")
        chargeback = load(
            """
            select provider, cost_center, team, environment, posted_amount, reporting_currency
            from fct_chargeback_ledger where billing_period = ?
            order by cost_center, team, provider, environment
            """,
            [period],
        )
        st.dataframe(
            chargeback, hide_index=True, column_config={"posted_amount": MONEY}, key="chargeback"
        )
    with right:
        st.subheader("Budgets")
        budgets = load(
            """
            select team, limit_state, budget_amount, actual_amount, variance_pct, reporting_currency
            from fct_budget_status where billing_period = ? order by team
            """,
            [period],
        )
        st.dataframe(
            budgets,
            hide_index=True,
            column_config={"budget_amount": MONEY, "actual_amount": MONEY},
            key="budgets",
        )

    st.subheader("Cost per request by team and route")
    daily = load(
        """
        select requested_date, team, route, cost_per_request_usd
        from fct_daily_request_costs
        where cost_per_request_usd is not null
        order by requested_date, team, route
        """
    )
    if daily.empty:
        st.write("No priced requests yet.")
    else:
        st.altair_chart(
            alt.Chart(daily)
            .mark_line(point=False)
            .encode(
                x=alt.X("requested_date:T", title=None),
                y=alt.Y(
                    "cost_per_request_usd:Q",
                    title="USD per request",
                    scale=alt.Scale(type="symlog"),
                ),
                color="team:N",
                strokeDash="route:N",
                tooltip=[
                    "requested_date:T",
                    "team",
                    "route",
                    alt.Tooltip("cost_per_request_usd:Q", format="$,.4f"),
                ],
            ),
            width="stretch",
        )

    st.subheader("Prepaid balance")
    prepaid = load(
        """
        select provider, billing_account_id, billing_period, occurred_at, movement_type, amount,
            running_balance, threshold_amount, is_threshold_crossed, is_negative_balance,
            currency_code
        from fct_recharge_ledger order by occurred_at, recharge_id
        """
    )
    if prepaid.empty:
        st.write("No prepaid account.")
    else:
        balance = (
            alt.Chart(prepaid)
            .mark_line(point=True, interpolate="step-after")
            .encode(
                x=alt.X("occurred_at:T", title=None),
                y=alt.Y("running_balance:Q", title="balance"),
                color="billing_account_id:N",
                tooltip=["occurred_at:T", "movement_type", "amount", "running_balance"],
            )
        )
        thresholds = (
            alt.Chart(prepaid.dropna(subset=["threshold_amount"]))
            .mark_rule(strokeDash=[4, 4], color="firebrick")
            .encode(y="threshold_amount:Q", tooltip=["threshold_amount"])
        )
        st.altair_chart(balance + thresholds, width="stretch")
        st.dataframe(
            prepaid[prepaid.billing_period == period],
            hide_index=True,
            key="prepaid",
        )

st.caption(
    f"Figures from {settings.marts_db.name}, published "
    f"{datetime.fromtimestamp(settings.marts_db.stat().st_mtime, UTC):%Y-%m-%d %H:%M:%S} UTC."
)
