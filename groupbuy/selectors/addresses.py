"""Reads of members' address books: only the owner ever sees an address."""

import re

from django.db.models import QuerySet

from groupbuy.exceptions import ShopNotFoundError
from groupbuy.models import Address

MAX_ADDRESSES = 20
# Mainland mobile numbers: 11 digits starting 13–19. "+86", spaces and dashes are tolerated.
_MOBILE = re.compile(r"1[3-9]\d{9}")


def phone_normalise(raw: str) -> str | None:
    """The 11-digit number, or None when ``raw`` is not a mainland mobile number."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits if _MOBILE.fullmatch(digits) else None


def phone_masked(phone: str) -> str:
    """138****5678: what a courier's label or a list shows."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else phone


def addresses_of(*, user) -> QuerySet[Address]:
    """The member's addresses, the default first, then the most recently used or edited."""
    return Address.objects.filter(user=user).order_by("-is_default", "-updated_at", "-id")


def address_get_for_owner(*, user, address_id: int) -> Address:
    """The member's own address; 404 for anyone else's (its existence is not revealed)."""
    address = Address.objects.filter(pk=address_id, user=user).first()
    if address is None:
        raise ShopNotFoundError()
    return address
