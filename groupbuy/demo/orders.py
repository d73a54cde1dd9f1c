"""Demo orders in every state, placed and moved through the real services (idempotent).

Alice, Bob and Carol each get orders waiting for payment, paid, shipped with tracking, delivered,
completed (points paid), refunded and with an open after-sales request; some came through Lily's
creator code, so her dashboard and commission ledger have something to show.
"""

from django.core.files.base import ContentFile

from community.models import User
from groupbuy.demo.catalog import CREATOR_CODE, product_photo, staff_actor
from groupbuy.models import Order, Product, ProductStatus, Refund
from groupbuy.services.after_sales import after_sales_open
from groupbuy.services.fulfilment import order_confirm_receipt, order_ship, shipment_track
from groupbuy.services.orders import order_create
from groupbuy.services.payments import payment_create, sandbox_payment_complete
from groupbuy.services.refunds import order_refund_request, refund_process

# buyer, product titles' index, quantity, where the order ends, through Lily's code
SCRIPT = [
    ("alice", 0, 1, "pending_payment", False),
    ("alice", 1, 2, "paid", True),
    ("alice", 2, 1, "shipped", True),
    ("bob", 0, 3, "delivered", False),
    ("bob", 3, 1, "completed", True),
    ("carol", 1, 1, "completed", True),
    ("carol", 4, 1, "refunded", True),
    ("bob", 2, 1, "after_sales", False),
]
TRACKING = [
    ("in_transit", "Left the Chengdu sorting centre", "Chengdu"),
    ("out_for_delivery", "With the courier", "Hangzhou"),
]


def seed_orders(stdout) -> None:
    staff = staff_actor()
    buyers = {u.username: u for u in User.objects.filter(username__in=["alice", "bob", "carol"])}
    products = list(
        Product.objects.filter(status=ProductStatus.ACTIVE, stock__gt=20).order_by("pk")
    )
    if staff is None or len(buyers) < 3 or len(products) < 5:
        stdout.write("groupbuy.orders: demo accounts or catalog missing, orders not seeded.")
        return
    if Order.objects.filter(buyer__in=buyers.values()).exists():
        stdout.write("groupbuy.orders: demo orders already there.")
        return
    for username, index, quantity, end, through_code in SCRIPT:
        buyer = buyers[username]
        order = order_create(
            buyer=buyer,
            items=[(products[index].pk, quantity)],
            creator_code=CREATOR_CODE[0] if through_code else "",
        )
        if end == "pending_payment":
            continue
        payment = payment_create(actor=buyer, order_id=order.pk)
        sandbox_payment_complete(actor=buyer, payment_id=payment.pk)
        if end == "paid":
            continue
        if end == "refunded":
            order_refund_request(actor=buyer, order_id=order.pk, reason="Ordered twice")
            # Seeding does not wait for a worker: process the refund here (a later run of the
            # task finds it done).
            refund_process(refund_id=Refund.objects.get(order=order).pk)
            continue
        order_ship(
            actor=staff,
            order_id=order.pk,
            carrier="SF Express",
            tracking_number=f"SF{order.pk:08d}",
        )
        for status, description, location in TRACKING:
            shipment_track(
                actor=staff,
                order_id=order.pk,
                status=status,
                description=description,
                location=location,
            )
        if end == "shipped":
            continue
        shipment_track(actor=staff, order_id=order.pk, status="delivered", location="Hangzhou")
        if end == "completed":
            order_confirm_receipt(actor=buyer, order_id=order.pk)
        elif end == "after_sales":
            after_sales_open(
                actor=buyer,
                order_id=order.pk,
                kind="return",
                reason="damaged",
                description="The lid was cracked when it arrived.",
                photos=[ContentFile(product_photo("cracked", ("#b33", "#eee")), name="lid.jpg")],
            )
    stdout.write(f"groupbuy.orders: {len(SCRIPT)} demo orders in every state.")
