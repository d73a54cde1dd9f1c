"""Writes of members' address books: one default per member, at most MAX_ADDRESSES each."""

from django.db import transaction

from community.models import User
from groupbuy.exceptions import InvalidPhoneError, TooManyAddressesError
from groupbuy.models import Address
from groupbuy.selectors.addresses import MAX_ADDRESSES, phone_normalise


def _lock_book(user: User) -> list[Address]:
    # Ordered row locks on the member's book: concurrent edits of the default queue up instead of
    # breaking the one-default constraint.
    return list(Address.objects.select_for_update().filter(user=user).order_by("pk"))


def _phone(raw: str) -> str:
    phone = phone_normalise(raw)
    if phone is None:
        raise InvalidPhoneError()
    return phone


def address_create(
    *, actor: User, name: str, phone: str, region: str, detail: str, is_default: bool = False
) -> Address:
    """Add an address; the member's first address becomes the default."""
    phone = _phone(phone)
    with transaction.atomic():
        book = _lock_book(actor)
        if len(book) >= MAX_ADDRESSES:
            raise TooManyAddressesError()
        make_default = is_default or not book
        if make_default:
            Address.objects.filter(user=actor, is_default=True).update(is_default=False)
        return Address.objects.create(
            user=actor,
            name=name,
            phone=phone,
            region=region,
            detail=detail,
            is_default=make_default,
        )


def address_update(*, actor: User, address: Address, **changes) -> Address:
    """Edit an address; ``is_default=True`` moves the default to it (False is ignored: the book
    always keeps one default)."""
    if "phone" in changes:
        changes["phone"] = _phone(changes["phone"])
    make_default = changes.pop("is_default", False)
    with transaction.atomic():
        _lock_book(actor)
        if make_default and not address.is_default:
            Address.objects.filter(user=actor, is_default=True).update(is_default=False)
            changes["is_default"] = True
        for field, value in changes.items():
            setattr(address, field, value)
        address.save()
    return address


def address_delete(*, actor: User, address: Address) -> None:
    """Remove an address; when it was the default, the most recently edited one takes over."""
    with transaction.atomic():
        _lock_book(actor)
        was_default = address.is_default
        address.delete()
        if was_default:
            successor = Address.objects.filter(user=actor).order_by("-updated_at", "-id").first()
            if successor is not None:
                Address.objects.filter(pk=successor.pk).update(is_default=True)
