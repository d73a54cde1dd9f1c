"""Money is ``Decimal`` in CNY with two places; every amount passes through ``quantize``."""

from decimal import ROUND_HALF_UP, Decimal

CURRENCY = "CNY"
CENT = Decimal("0.01")
MONEY_MAX_DIGITS = 12
MONEY_DECIMAL_PLACES = 2


def quantize(value: Decimal | int | str) -> Decimal:
    """Round to the cent, halves away from zero (¥0.005 -> ¥0.01), as Chinese invoices do."""
    # str() first: Decimal(0.1) would carry the binary float's error into the amount.
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
