"""Domain signals feeds sends (sent after commit, keyword arguments below).

``share_fraud_flagged`` hands suspected referral farming to the moderation queue when it exists:
flag_id, sharer_id, link_id (or None), kind ("ip"|"device"), accounts (distinct member accounts,
or distinct signed-out visitors when an IP was flagged for anonymous clicks).
"""

from django.dispatch import Signal

share_fraud_flagged = Signal()  # flag_id, sharer_id, link_id, kind, accounts
post_published = Signal()  # post_id, author_id
