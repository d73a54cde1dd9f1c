"""Domain signals chat and feeds listen to (share rewards, reviews, team rooms).

Sent only after the transaction commits, with the keyword arguments named below. Money is a
``Decimal``; ``share_code`` is the share link the order came through, or ``""``.
"""

from django.dispatch import Signal

order_paid = Signal()  # order_id, buyer_id, total, share_code
order_completed = Signal()  # order_id, buyer_id, total, share_code
order_refunded = Signal()  # order_id, buyer_id, amount, share_code

team_opened = Signal()  # team_id, campaign_id, leader_id
team_joined = Signal()  # team_id, user_id
team_member_left = Signal()  # team_id, user_id
team_succeeded = Signal()  # team_id, member_ids, platform_filled
team_failed = Signal()  # team_id, member_ids

# Moderation hid a product (a decision, reports past the threshold, or an edit held for review):
# chat unpins it from livestreams, so open live pages drop its card.
product_hidden = Signal()  # product_id
