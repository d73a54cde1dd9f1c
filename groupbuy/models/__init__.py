"""groupbuy's tables, one module per topic; re-exported here for Django and for callers."""

from groupbuy.models.addresses import Address
from groupbuy.models.after_sales import (
    ACTIVE_AFTER_SALES,
    AfterSalesKind,
    AfterSalesPhoto,
    AfterSalesReason,
    AfterSalesRequest,
    AfterSalesStatus,
)
from groupbuy.models.catalog import (
    MAX_COMMISSION_RATE,
    MAX_PRODUCT_IMAGES,
    MONEY_DECIMAL_PLACES,
    MONEY_MAX_DIGITS,
    Category,
    Product,
    ProductImage,
    ProductStatus,
    money_field,
)
from groupbuy.models.commission import CommissionEntry, CommissionStatus
from groupbuy.models.coupons import (
    Coupon,
    CouponAutoIssue,
    CouponIssue,
    CouponKind,
    CouponUserCount,
    UserCoupon,
)
from groupbuy.models.flash_sales import FlashSale, FlashSaleOrder, FlashSaleQuota, FlashSaleReminder
from groupbuy.models.fulfilment import Shipment, TrackingEvent, TrackingStatus
from groupbuy.models.orders import Order, OrderEvent, OrderItem, OrderKindChoice, OrderStatus
from groupbuy.models.payments import Payment, PaymentStatus
from groupbuy.models.refunds import Refund, RefundStatus
from groupbuy.models.storefronts import (
    Collection,
    CollectionItem,
    CreatorCode,
    Storefront,
    StorefrontVisit,
)
from groupbuy.models.teams import (
    TEAM_WINDOW_MINUTES_FALLBACK,
    Campaign,
    Team,
    TeamEvent,
    TeamMember,
    TeamMemberStatus,
    TeamStatus,
)

__all__ = [
    "ACTIVE_AFTER_SALES",
    "MAX_COMMISSION_RATE",
    "MAX_PRODUCT_IMAGES",
    "MONEY_DECIMAL_PLACES",
    "MONEY_MAX_DIGITS",
    "TEAM_WINDOW_MINUTES_FALLBACK",
    "Address",
    "AfterSalesKind",
    "AfterSalesPhoto",
    "AfterSalesReason",
    "AfterSalesRequest",
    "AfterSalesStatus",
    "Campaign",
    "Category",
    "Collection",
    "CollectionItem",
    "CommissionEntry",
    "CommissionStatus",
    "Coupon",
    "CouponAutoIssue",
    "CouponIssue",
    "CouponKind",
    "CouponUserCount",
    "CreatorCode",
    "FlashSale",
    "FlashSaleOrder",
    "FlashSaleQuota",
    "FlashSaleReminder",
    "Order",
    "OrderEvent",
    "OrderItem",
    "OrderKindChoice",
    "OrderStatus",
    "Payment",
    "PaymentStatus",
    "Product",
    "ProductImage",
    "ProductStatus",
    "Refund",
    "RefundStatus",
    "Shipment",
    "Storefront",
    "StorefrontVisit",
    "Team",
    "TeamEvent",
    "TeamMember",
    "TeamMemberStatus",
    "TeamStatus",
    "TrackingEvent",
    "TrackingStatus",
    "UserCoupon",
    "money_field",
]
