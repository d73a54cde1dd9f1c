"""Domain errors of groupbuy (codes are API contract), and the refusals its services map to them."""

from rest_framework import status

from config.exceptions import DomainError


class ShopPermissionDeniedError(DomainError):
    """The same code as DRF's own refusal, so clients see one ``permission_denied`` everywhere."""

    code = "permission_denied"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "You do not have permission to perform this action."


class ShopNotFoundError(DomainError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "Not found."


class TooManyImagesError(DomainError):
    code = "too_many_images"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "A product has at most 9 images."


class StorefrontExistsError(DomainError):
    code = "storefront_exists"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "You already have a storefront."


class SlugTakenError(DomainError):
    code = "slug_taken"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "That storefront address is taken."


class AlreadyInCollectionError(DomainError):
    code = "already_in_collection"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "That product is already in this collection."


class ProductUnavailableError(DomainError):
    code = "product_unavailable"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Only products on sale can be added to a collection."


class CreatorCodeTakenError(DomainError):
    code = "code_taken"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "That creator code is taken."


class CouponExhaustedError(DomainError):
    code = "coupon_exhausted"
    default_detail = "All of these coupons have been claimed."


class CouponLimitReachedError(DomainError):
    code = "coupon_limit_reached"
    default_detail = "You already hold as many of this coupon as allowed."


class CouponUnavailableError(DomainError):
    code = "coupon_unavailable"
    default_detail = "This coupon cannot be claimed now."


class CouponNotEligibleError(DomainError):
    code = "coupon_not_eligible"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "This coupon is for other members."


class CouponCodeInvalidError(DomainError):
    code = "coupon_code_invalid"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "That coupon code does not exist."


class OutOfStockError(DomainError):
    code = "out_of_stock"
    default_detail = "Not enough stock for this order."


class CouponInvalidError(DomainError):
    code = "coupon_invalid"
    default_detail = "This coupon cannot be used on this order."


class CreatorCodeInvalidError(DomainError):
    code = "creator_code_invalid"
    default_detail = "This creator code cannot be used."


class OrderPricingError(DomainError):
    """A pricing refusal (points over the limit, an empty order): the code comes from pricing."""

    status_code = status.HTTP_400_BAD_REQUEST


class OrderStateError(DomainError):
    code = "order_state_conflict"
    default_detail = "The order cannot do that in its current state."


class WebhookRejectedError(DomainError):
    code = "bad_signature"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The webhook signature or body is not valid."


class PaymentAmountMismatchError(DomainError):
    code = "amount_mismatch"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The paid amount does not match the payment."


class RefundNotAllowedError(OrderStateError):
    code = "refund_not_allowed"


class AfterSalesOpenError(DomainError):
    code = "after_sales_open"
    default_detail = "This order already has an after-sales request in progress."


class AfterSalesWindowClosedError(OrderStateError):
    code = "after_sales_window_closed"


class AfterSalesStateError(OrderStateError):
    code = "after_sales_state_conflict"


class CampaignNotFoundError(ShopNotFoundError):
    code = "not_found"


class TeamFullError(DomainError):
    code = "team_full"
    default_detail = "This team is full; join another open team or start your own."


class TeamClosedError(DomainError):
    code = "team_closed"
    default_detail = "This team is no longer taking members."


class AlreadyMemberError(DomainError):
    code = "already_member"
    default_detail = "You are already in this team."


class GroupLimitReachedError(DomainError):
    code = "limit_reached"
    default_detail = "You have reached this campaign's limit per member."


class CampaignSoldOutError(DomainError):
    code = "sold_out"
    default_detail = "This group buy has sold out."


class CampaignNotStartedError(DomainError):
    code = "not_started"
    default_detail = "This group buy has not started yet."


class CampaignEndedError(DomainError):
    code = "ended"
    default_detail = "This group buy has ended."


class NotCommunityMemberError(DomainError):
    code = "not_a_member"
    status_code = 403
    default_detail = "Only members of this community can join its group buys."


# --- flash sales (秒杀, PRODUCT.md §9) -----------------------------------------------------------


class FlashSaleNotFoundError(DomainError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "No such flash sale."


class FlashSaleSoldOutError(DomainError):
    code = "sold_out"
    default_detail = "This flash sale has sold out."


class FlashSaleLimitReachedError(DomainError):
    code = "limit_reached"
    default_detail = "You already hold as many units of this flash sale as allowed."


class FlashSaleNotStartedError(DomainError):
    code = "not_started"
    default_detail = "This flash sale has not started yet."


class FlashSaleEndedError(DomainError):
    code = "ended"
    default_detail = "This flash sale has ended."


class LiveDealRefusedError(DomainError):
    code = "deal_not_allowed"
    status_code = 403
    default_detail = "Hosts launch deals only on products in their own storefront."


class LiveDealPriceError(DomainError):
    code = "deal_price_out_of_range"
    status_code = 400
    default_detail = "A live deal's price must be between the floor and the product's price."


# --- refusals inside the app (services map them to the errors above) ------------------------------


class PricingError(ValueError):
    """A coupon or points request that cannot apply to this cart (the caller maps it to 4xx)."""

    def __init__(self, code: str, detail: str, **extra) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra


class WebhookRejected(ValueError):
    """The webhook is not from our provider (bad or stale signature, malformed body)."""


class InvalidPhoneError(DomainError):
    code = "invalid_phone"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "请填写有效的 11 位手机号。Enter a valid mainland mobile number."


class TooManyAddressesError(DomainError):
    code = "too_many_addresses"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "地址簿已满（最多 20 个），请先删除不用的地址。"
