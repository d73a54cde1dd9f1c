"""Flash-sale rules behind the API: units come back exactly once (unpaid timeout, cancel,
refund), the sold-out hint, reminders, share links, admin and demo data (PRODUCT.md §9)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from community.models import Notification
from community.selectors.social import share_target_resolve
from groupbuy.demo.flash_sales import DEMO_SALES, seed_flash_sales
from groupbuy.exceptions import (
    FlashSaleLimitReachedError,
    FlashSaleSoldOutError,
)
from groupbuy.models import FlashSale, FlashSaleQuota, FlashSaleReminder, Order
from groupbuy.services import (
    flash_sale_order_place,
    flash_sale_reminders_send,
    flash_sales,
    order_cancel,
    order_refund_request,
    orders_cancel_unpaid,
    payment_create,
    sandbox_payment_complete,
)
from groupbuy.services.flash_sales import sold_out_hint_key
from tests.factories import UserFactory
from tests.groupbuy.conftest import client_for
from tests.groupbuy.flashflow import make_sale, remaining, sale_product, sale_staff

pytestmark = pytest.mark.django_db


def _held(sale, user) -> int:
    row = FlashSaleQuota.objects.filter(sale=sale, user=user).first()
    return row.quantity if row else 0


def test_the_unpaid_timeout_gives_units_and_quota_back_once():
    sale = make_sale(stock=2, limit=2)
    buyer = UserFactory()
    order = flash_sale_order_place(actor=buyer, sale_id=sale.pk, quantity=2)
    assert (remaining(sale), _held(sale, buyer)) == (0, 2)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    first = orders_cancel_unpaid()
    second = orders_cancel_unpaid()

    assert (first, second) == (1, 0)
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert (remaining(sale), _held(sale, buyer)) == (2, 0)
    again = flash_sale_order_place(actor=buyer, sale_id=sale.pk, quantity=2)  # quota is free
    assert again.status == "pending_payment"
    assert remaining(sale) == 0


def test_cancelling_twice_restocks_once():
    sale = make_sale(stock=3)
    buyer = UserFactory()
    order = flash_sale_order_place(actor=buyer, sale_id=sale.pk, quantity=1)

    order_cancel(order_id=order.pk, reason="changed my mind", actor=buyer)
    order_cancel(order_id=order.pk, reason="changed my mind", actor=buyer)

    assert remaining(sale) == 3
    assert _held(sale, buyer) == 0


def test_a_refund_of_a_paid_flash_order_restocks_once(django_capture_on_commit_callbacks):
    sale = make_sale(stock=5, limit=1)
    buyer = UserFactory()
    order = flash_sale_order_place(actor=buyer, sale_id=sale.pk, quantity=1)
    payment = payment_create(actor=buyer, order_id=order.pk)
    sandbox_payment_complete(actor=buyer, payment_id=payment.pk)
    assert Order.objects.get(pk=order.pk).status == "paid"
    assert remaining(sale) == 4

    client = client_for(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/api/v1/orders/{order.pk}/refund/")
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(f"/api/v1/orders/{order.pk}/refund/")
    with django_capture_on_commit_callbacks(execute=True):
        order_refund_request(actor=buyer, order_id=order.pk)

    assert (first.status_code, second.status_code) == (200, 200)
    assert Order.objects.get(pk=order.pk).status == "refunded"
    assert remaining(sale) == 5
    assert _held(sale, buyer) == 0


def test_a_sold_out_sale_answers_from_the_cache_without_the_database(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    sale = make_sale(stock=1)
    with django_capture_on_commit_callbacks(execute=True):
        flash_sale_order_place(actor=UserFactory(), sale_id=sale.pk, quantity=1)
    late = UserFactory()
    assert cache.get(sold_out_hint_key(sale.pk)) is not None

    with django_assert_num_queries(0), pytest.raises(FlashSaleSoldOutError):
        flash_sale_order_place(actor=late, sale_id=sale.pk, quantity=1)


def test_the_hint_is_only_a_hint_a_restock_clears_it_and_the_database_decides(
    django_capture_on_commit_callbacks,
):
    sale = make_sale(stock=1)
    first_buyer, late = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        order = flash_sale_order_place(actor=first_buyer, sale_id=sale.pk, quantity=1)
    with pytest.raises(FlashSaleSoldOutError):
        flash_sale_order_place(actor=late, sale_id=sale.pk, quantity=1)

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=order.pk, reason="payment_timeout")

    assert flash_sale_order_place(actor=late, sale_id=sale.pk, quantity=1).status == (
        "pending_payment"
    )
    assert remaining(sale) == 0


def test_a_hint_written_by_a_buyer_who_saw_zero_just_before_a_restock_refuses_nobody(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    sale = make_sale(stock=1)
    first_buyer, slow, late = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        order = flash_sale_order_place(actor=first_buyer, sale_id=sale.pk, quantity=1)
    cache.delete(sold_out_hint_key(sale.pk))
    # The slow buyer's request reads the cache and sees 0 in PostgreSQL; the timeout gives the
    # unit back and commits; only then does the slow request get to write its hint.
    restocked = []
    real_hint = flash_sales._hint_sold_out

    def hint_after_the_restock(*args):
        restocked.append(True)
        with django_capture_on_commit_callbacks(execute=True):
            order_cancel(order_id=order.pk, reason="payment_timeout")
        real_hint(*args)

    flash_sales._hint_sold_out = hint_after_the_restock
    try:
        with pytest.raises(FlashSaleSoldOutError):
            flash_sale_order_place(actor=slow, sale_id=sale.pk, quantity=1)
    finally:
        flash_sales._hint_sold_out = real_hint
    assert restocked and remaining(sale) == 1
    assert cache.get(sold_out_hint_key(sale.pk)) is not None

    assert flash_sale_order_place(actor=late, sale_id=sale.pk, quantity=1).status == (
        "pending_payment"
    )

    # A hint written after the last restock still spares the database.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(FlashSaleSoldOutError):
        flash_sale_order_place(actor=slow, sale_id=sale.pk, quantity=1)
    with django_assert_num_queries(0), pytest.raises(FlashSaleSoldOutError):
        flash_sale_order_place(actor=UserFactory.build(), sale_id=sale.pk, quantity=1)


def test_without_a_hint_a_sold_out_sale_is_still_refused_by_the_database():
    sale = make_sale(stock=1)
    flash_sale_order_place(actor=UserFactory(), sale_id=sale.pk, quantity=1)
    cache.clear()  # the hint is gone (evicted, Redis restarted): PostgreSQL still says no

    with pytest.raises(FlashSaleSoldOutError):
        flash_sale_order_place(actor=UserFactory(), sale_id=sale.pk, quantity=1)
    assert Order.objects.count() == 1


def test_a_limit_refusal_leaves_the_stock_untouched():
    sale = make_sale(stock=5, limit=1)
    buyer = UserFactory()
    flash_sale_order_place(actor=buyer, sale_id=sale.pk, quantity=1)

    with pytest.raises(FlashSaleLimitReachedError):
        flash_sale_order_place(actor=buyer, sale_id=sale.pk, quantity=1)

    assert remaining(sale) == 4
    assert Order.objects.filter(buyer=buyer).count() == 1


# --- reminders --------------------------------------------------------------------------------


def test_the_reminder_goes_out_five_minutes_before_the_start_once():
    sale = make_sale(starts_in=timedelta(minutes=4))
    later = make_sale(starts_in=timedelta(minutes=30))
    member = UserFactory()
    FlashSaleReminder.objects.create(sale=sale, user=member)
    FlashSaleReminder.objects.create(sale=later, user=member)

    sent = [flash_sale_reminders_send(), flash_sale_reminders_send()]

    assert sent == [1, 0]
    notes = Notification.objects.filter(user=member, type="flash_sale_reminder")
    assert notes.count() == 1
    assert notes.get().data["url"] == f"/flash-sales/{sale.pk}/"
    assert FlashSaleReminder.objects.get(sale=sale).sent_at is not None
    assert FlashSaleReminder.objects.get(sale=later).sent_at is None
    # 25 minutes later the second one is due.
    assert flash_sale_reminders_send(now=timezone.now() + timedelta(minutes=26)) == 1


def test_an_early_access_member_is_reminded_before_their_own_earlier_start():
    sale = make_sale(starts_in=timedelta(minutes=14))
    gold, regular = UserFactory(tier="gold"), UserFactory(tier="regular")
    for member in (gold, regular):
        FlashSaleReminder.objects.create(sale=sale, user=member)

    assert flash_sale_reminders_send() == 1

    assert Notification.objects.filter(type="flash_sale_reminder").get().user_id == gold.pk


def test_an_ended_sale_sends_no_reminder():
    sale = make_sale(starts_in=timedelta(hours=-2), lasts=timedelta(hours=1))
    FlashSaleReminder.objects.create(sale=sale, user=UserFactory())

    assert flash_sale_reminders_send() == 0
    assert not Notification.objects.filter(type="flash_sale_reminder").exists()


# --- wiring -----------------------------------------------------------------------------------


def test_a_share_link_target_lands_on_the_flash_sale_page():
    sale = make_sale()

    target = share_target_resolve("flash_sale", sale.pk)

    assert target is not None
    assert target.url == f"/flash-sales/{sale.pk}/"
    assert target.title == sale.title
    assert share_target_resolve("flash_sale", 999999) is None


def test_demo_seeding_schedules_a_live_and_an_upcoming_sale_once(settings):
    staff = sale_staff("demo-admin")
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    sale_product("Bean paste", price="19.90")
    sale_product("Peppercorn", price="29.90")

    seed_flash_sales(StringIO())
    seed_flash_sales(StringIO())

    sales = list(FlashSale.objects.order_by("starts_at"))
    assert len(sales) == len(DEMO_SALES) == 2
    now = timezone.now()
    assert sales[0].starts_at <= now < sales[0].ends_at  # live
    assert sales[1].starts_at > now  # upcoming
    assert all(s.price < s.product.price for s in sales)


def test_staff_see_flash_sales_with_their_counts_in_the_admin():
    sale = make_sale(stock=4)
    flash_sale_order_place(actor=UserFactory(), sale_id=sale.pk, quantity=1)
    FlashSaleReminder.objects.create(sale=sale, user=UserFactory())
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin_user)

    listing = browser.get("/admin/groupbuy/flashsale/")
    detail = browser.get(f"/admin/groupbuy/flashsale/{sale.pk}/change/")

    assert listing.status_code == 200
    assert sale.title in listing.content.decode()
    assert detail.status_code == 200
    assert "3 / 4" in listing.content.decode()
