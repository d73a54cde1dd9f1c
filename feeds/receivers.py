"""feeds' listeners: orders (share rewards), sign-ins (share-link registrations)."""

from datetime import timedelta

from django.contrib.auth.signals import user_logged_in
from django.utils import timezone

from feeds.services import shares
from feeds.services.shares import DEVICE_COOKIE, SESSION_CLICKS, visitor_of
from groupbuy.signals import order_completed, order_paid, order_refunded

# A sign-in this soon after the account was made is the registration itself.
REGISTRATION_GRACE = timedelta(minutes=10)
# Apps that keep no cookies name the link they were opened from when they register.
SHARE_CODE_HEADER = "HTTP_X_SHARE_CODE"
DEVICE_HEADER = "HTTP_X_DEVICE_ID"


def _order_paid(sender, *, order_id, buyer_id, total, share_code="", **_) -> None:
    # Sent for every order kind; most carry no share_code, and then the buyer's last click decides.
    shares.share_order_paid(
        order_id=order_id, buyer_id=buyer_id, total=total, share_code=share_code or ""
    )


def _order_completed(sender, *, order_id, **_) -> None:
    shares.share_order_completed(order_id=order_id)


def _order_refunded(sender, *, order_id, **_) -> None:
    shares.share_order_refunded(order_id=order_id)


def _signed_in(sender, *, request, user, **_) -> None:
    if request is None or not hasattr(request, "session"):
        return
    registering = timezone.now() - user.date_joined <= REGISTRATION_GRACE
    click_ids = [int(i) for i in request.session.pop(SESSION_CLICKS, []) if str(i).isdigit()]
    if click_ids:
        shares.share_clicks_claim(click_ids=click_ids, user=user)
        if registering:
            shares.share_registration_record(click_id=click_ids[-1], invitee=user)
        return
    code = request.META.get(SHARE_CODE_HEADER, "").strip()[:32]
    if registering and code:
        device_id = request.META.get(DEVICE_HEADER, "") or request.COOKIES.get(DEVICE_COOKIE, "")
        shares.share_registration_by_code(
            code=code, invitee=user, visitor=visitor_of(request, user, device_id[:64])
        )


def connect() -> None:
    order_paid.connect(_order_paid, dispatch_uid="feeds.share_order_paid")
    order_completed.connect(_order_completed, dispatch_uid="feeds.share_order_completed")
    order_refunded.connect(_order_refunded, dispatch_uid="feeds.share_order_refunded")
    user_logged_in.connect(_signed_in, dispatch_uid="feeds.share_signed_in")
