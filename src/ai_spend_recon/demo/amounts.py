"""Amounts as the exports write them: exact decimals, invoices rounded to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def money(value: object) -> Decimal:
    """A DuckDB amount (DECIMAL, float or NULL) as an exact Decimal; NULL is 0."""
    return Decimal(str(value)) if value is not None else Decimal(0)


def cents(value: Decimal) -> Decimal:
    """Rounded to the cent, half up, as an invoice rounds."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
