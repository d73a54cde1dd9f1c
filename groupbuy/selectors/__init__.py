"""Reads, one module per topic. The names below are what other apps read through
``from groupbuy import selectors``; inside groupbuy, import from the topic module."""

from groupbuy.selectors.catalog import (
    category_list,
    first_image_url,
    has_role,
    is_creator,
    is_staff,
    product_get,
    product_list,
    product_visible_to,
)
from groupbuy.selectors.commission import storefront_visits_for_buyer
from groupbuy.selectors.coupons import (
    coupon_best_for_cart,
    coupon_terms,
    coupons_available,
    user_coupons,
    user_coupons_checkout_accepts,
)
from groupbuy.selectors.orders import (
    cart_lines,
    order_as_placed,
    order_get_for_buyer,
    order_get_summary,
    order_item_get_completed,
    order_items_completed,
    order_summaries,
    orders_of_buyer,
    orders_with_details,
    purchases_since,
)
from groupbuy.selectors.storefronts import (
    can_see_storefront,
    creator_code_get_active,
    creator_codes_list,
    product_storefronts,
    storefront_collections,
    storefront_get,
    storefront_of,
    storefront_products_of,
)

__all__ = [
    "can_see_storefront",
    "cart_lines",
    "category_list",
    "coupon_best_for_cart",
    "coupon_terms",
    "coupons_available",
    "creator_code_get_active",
    "creator_codes_list",
    "first_image_url",
    "has_role",
    "is_creator",
    "is_staff",
    "order_as_placed",
    "order_get_for_buyer",
    "order_get_summary",
    "order_item_get_completed",
    "order_items_completed",
    "order_summaries",
    "orders_of_buyer",
    "orders_with_details",
    "product_get",
    "product_list",
    "product_storefronts",
    "product_visible_to",
    "purchases_since",
    "storefront_collections",
    "storefront_get",
    "storefront_of",
    "storefront_products_of",
    "storefront_visits_for_buyer",
    "user_coupons",
    "user_coupons_checkout_accepts",
]
