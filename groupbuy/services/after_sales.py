"""After-sales: the buyer asks (return, refund only, exchange) with photos; staff decide.

Photos are processed before the transaction and written with their rows inside it; a refusal
deletes what was written, so a rejected request leaves no files behind. One active request per
order is a partial unique constraint.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import User
from community.selectors.accounts import process_image
from community.services import notification_send
from groupbuy.exceptions import (
    AfterSalesOpenError,
    AfterSalesStateError,
    AfterSalesWindowClosedError,
    OrderStateError,
    ShopNotFoundError,
    TooManyImagesError,
)
from groupbuy.models import (
    AfterSalesKind,
    AfterSalesPhoto,
    AfterSalesRequest,
    AfterSalesStatus,
    Order,
    OrderStatus,
)
from groupbuy.selectors.catalog import is_staff
from groupbuy.services.refunds import order_refund_request

AFTER_SALES_STATES = {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED}
PHOTO_MAX_SIDE = 1600


def after_sales_open(
    *,
    actor: User,
    order_id: int,
    kind: str,
    reason: str,
    description: str = "",
    photos: list | None = None,
) -> AfterSalesRequest:
    """The buyer opens an after-sales request for a shipped, delivered or recently completed order."""
    photos = photos or []
    if len(photos) > settings.AFTER_SALES_MAX_PHOTOS:
        raise TooManyImagesError(f"Attach at most {settings.AFTER_SALES_MAX_PHOTOS} photos.")
    processed = [process_image(upload, max_side=PHOTO_MAX_SIDE) for upload in photos]
    written: list = []
    try:
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(pk=order_id, buyer=actor).first()
            if order is None:
                raise ShopNotFoundError()
            if order.status not in AFTER_SALES_STATES:
                raise OrderStateError(
                    "After-sales is for orders that have shipped; cancel or refund instead."
                )
            window = timedelta(days=settings.AFTER_SALES_WINDOW_DAYS)
            if order.completed_at is not None and timezone.now() > order.completed_at + window:
                raise AfterSalesWindowClosedError(
                    f"After-sales closes {settings.AFTER_SALES_WINDOW_DAYS} days after completion."
                )
            try:
                with transaction.atomic():
                    request = AfterSalesRequest.objects.create(
                        order=order, kind=kind, reason=reason, description=description.strip()
                    )
            except IntegrityError as exc:
                raise AfterSalesOpenError() from exc
            for index, image in enumerate(processed):
                photo = AfterSalesPhoto(request=request, width=image.width, height=image.height)
                photo.image.save(
                    f"{request.pk}-{index}.{image.extension}", image.content, save=False
                )
                written.append(photo.image.name)
                photo.save()
            return request
    except Exception:
        for name in written:
            AfterSalesPhoto._meta.get_field("image").storage.delete(name)
        raise


def after_sales_withdraw(*, actor: User, request_id: int) -> AfterSalesRequest:
    """The buyer withdraws an open request."""
    with transaction.atomic():
        request = (
            AfterSalesRequest.objects.select_for_update()
            .filter(pk=request_id, order__buyer=actor)
            .first()
        )
        if request is None:
            raise ShopNotFoundError()
        if request.status == AfterSalesStatus.WITHDRAWN:
            return request
        if request.status != AfterSalesStatus.OPEN:
            raise AfterSalesStateError("Only a request waiting for staff can be withdrawn.")
        request.status = AfterSalesStatus.WITHDRAWN
        request.save(update_fields=["status", "updated_at"])
        return request


def after_sales_decide(
    *, actor: User, request_id: int, action: str, note: str = ""
) -> AfterSalesRequest:
    """Staff approve (refund kinds refund the order), reject, or complete an approved exchange."""
    if not is_staff(actor):
        raise ShopNotFoundError()
    with transaction.atomic():
        request = AfterSalesRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None:
            raise ShopNotFoundError()
        expected = AfterSalesStatus.APPROVED if action == "complete" else AfterSalesStatus.OPEN
        if request.status != expected:
            raise AfterSalesStateError(
                f"This request is {request.get_status_display().lower()}; it cannot be {action}d."
            )
        if action == "reject":
            request.status = AfterSalesStatus.REJECTED
        elif action == "complete":
            request.status = AfterSalesStatus.COMPLETED
        elif request.kind in (AfterSalesKind.RETURN, AfterSalesKind.REFUND_ONLY):
            order_refund_request(
                actor=actor,
                order_id=request.order_id,
                reason=f"after-sales {request.pk}: {request.get_reason_display()}",
                by_staff=True,
            )
            request.status = AfterSalesStatus.COMPLETED
        else:
            request.status = AfterSalesStatus.APPROVED  # a replacement ships; staff complete it
        request.staff_note = note.strip()[:500]
        request.handled_by = actor
        request.save(update_fields=["status", "staff_note", "handled_by", "updated_at"])
        buyer_id = Order.objects.values_list("buyer_id", flat=True).get(pk=request.order_id)
        notification_send(
            user_id=buyer_id,
            type="after_sales",
            title=f"After-sales request for order {request.order_id}: "
            f"{request.get_status_display().lower()}",
            body=request.staff_note,
            data={"order_id": request.order_id, "request_id": request.pk},
            dedupe_key=f"after_sales:{request.pk}:{request.status}",
        )
        return request
