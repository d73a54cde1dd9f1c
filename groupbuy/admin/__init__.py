"""Staff tooling, one module per topic; importing them here registers them with the admin."""

import groupbuy.admin.after_sales
import groupbuy.admin.catalog
import groupbuy.admin.commission
import groupbuy.admin.coupons
import groupbuy.admin.flash_sales
import groupbuy.admin.fulfilment
import groupbuy.admin.orders
import groupbuy.admin.payments
import groupbuy.admin.refunds
import groupbuy.admin.storefronts
import groupbuy.admin.teams  # noqa: F401 (imported for the registrations)
