"""Domain signals other apps listen to (chat keeps community rooms in step, feeds scopes posts).

Sent only after the transaction commits, with keyword arguments named below.
"""

from django.dispatch import Signal

community_created = Signal()  # community_id, owner_id
community_member_joined = Signal()  # community_id, user_id, role
community_member_left = Signal()  # community_id, user_id
community_member_role_changed = Signal()  # community_id, user_id, role
user_followed = Signal()  # follower_id, followee_id
user_blocked = Signal()  # blocker_id, blocked_id
user_deleted = Signal()  # user_id
invitee_registered = Signal()  # inviter_id, invitee_id
member_registered = Signal()  # user_id, inviter_id (None without an invite code)
tier_monthly_pack_due = Signal()  # user_id, tier, pack_code, month ("2026-12"); coupons issue it
