"""Moderation: reports, the one queue, decisions (the audit log), strikes, sanctions, appeals,
watched words and trust levels (PRODUCT.md §15).

Content lives in other apps; an item names it by ``(target_type, target_id)`` and the registry of
moderatable types (``community.services.moderation_registry``) knows how to hide, restore and show it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReportCategory(models.TextChoices):
    SPAM = "spam", "Spam"
    SCAM = "scam", "Scam"
    ABUSE = "abuse", "Abuse"
    SEXUAL = "sexual", "Sexual"
    ILLEGAL = "illegal", "Illegal"
    IP = "ip", "Intellectual property"
    OTHER = "other", "Other"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    CLAIMED = "claimed", "Claimed"
    RESOLVED = "resolved", "Resolved"


class ItemSource(models.TextChoices):
    REPORTS = "reports", "Reports"
    WATCHED_WORD = "watched_word", "Watched word"
    PRE_MODERATION = "pre_moderation", "Pre-moderation"
    APPEAL = "appeal", "Appeal"
    SHARE_FRAUD = "share_fraud", "Referral fraud"


class Action(models.TextChoices):
    APPROVE = "approve", "Approve"
    REMOVE = "remove", "Remove"
    WARN = "warn", "Warn"
    MUTE = "mute", "Mute"
    SUSPEND = "suspend", "Suspend"
    BAN = "ban", "Ban"


class ModerationItem(models.Model):
    """One queue row per target while it is open; reports, watched words, pre-moderation,
    appeals and fraud flags all land here."""

    target_type = models.CharField(max_length=32)
    target_id = models.BigIntegerField()
    source = models.CharField(max_length=16, choices=ItemSource.choices)
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    score = models.FloatField(default=0)
    reports_count = models.PositiveIntegerField(default=0)
    reporters_count = models.PositiveIntegerField(default=0)
    categories = models.JSONField(default=list, blank=True)
    # The author of the content (or the member an appeal or a user report is about).
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden = models.BooleanField(default=False)
    # Bumped by every change a moderator could be deciding on: a decide names the version seen.
    version = models.PositiveIntegerField(default=1)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)  # why it is here, for the moderator
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Two concurrent reports of one target meet on this constraint and share one item.
            models.UniqueConstraint(
                fields=["target_type", "target_id"],
                condition=~Q(status="resolved"),
                name="moderation_item_one_open_per_target",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "claimed", "resolved"]),
                name="moderation_item_status_valid",
            ),
        ]
        indexes = [
            # The queue's own order over open items only: a page is an index range scan however
            # many items were ever resolved.
            models.Index(
                fields=["-score", "created_at", "id"],
                condition=~Q(status="resolved"),
                name="moderation_open_queue",
            ),
            models.Index(fields=["target_type", "target_id"], name="moderation_item_target"),
        ]


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    AGREED = "agreed", "Agreed"
    DISAGREED = "disagreed", "Disagreed"


class Report(models.Model):
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_reports"
    )
    item = models.ForeignKey(ModerationItem, on_delete=models.CASCADE, related_name="reports")
    target_type = models.CharField(max_length=32)
    target_id = models.BigIntegerField()
    category = models.CharField(max_length=16, choices=ReportCategory.choices)
    note = models.CharField(max_length=500, blank=True)
    weight = models.FloatField()
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=Q(status="open"),
                name="report_one_open_per_reporter_target",
            )
        ]
        indexes = [models.Index(fields=["reporter", "status"], name="report_reporter_status")]


class Decision(models.Model):
    """A moderator's (or the system's) action on an item. Append-only: a reversal is recorded by
    an appeal's own decision and ``reversed_at``, never by editing what was done."""

    item = models.ForeignKey(ModerationItem, on_delete=models.PROTECT, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    reason = models.CharField(max_length=500, blank=True)
    target_type = models.CharField(max_length=32)
    target_id = models.BigIntegerField()
    category = models.CharField(max_length=16, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duration_hours = models.PositiveIntegerField(null=True, blank=True)
    suggested_action = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject", "-created_at"], name="decision_subject"),
            models.Index(fields=["-created_at"], name="decision_recent"),
        ]


class AuditEntry(models.Model):
    """Every moderation step (claim, auto-hide, decide, appeal, word changes), append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=32)
    item = models.ForeignKey(
        ModerationItem, null=True, blank=True, on_delete=models.PROTECT, related_name="audit"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Strike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_strikes"
    )
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="strike")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"], name="strike_user_active")]


class SanctionKind(models.TextChoices):
    MUTE = "mute", "Mute"
    SUSPEND = "suspend", "Suspend"
    BAN = "ban", "Ban"


class Sanction(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_sanctions"
    )
    kind = models.CharField(max_length=16, choices=SanctionKind.choices)
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="sanction")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)  # null: until lifted (a ban)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "lifted_at"], name="sanction_user_open")]


class Appeal(models.Model):
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="appeal")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_appeals"
    )
    body = models.CharField(max_length=2000)
    item = models.OneToOneField(
        ModerationItem, null=True, on_delete=models.SET_NULL, related_name="appeal"
    )
    granted = models.BooleanField(null=True)  # null while undecided
    created_at = models.DateTimeField(auto_now_add=True)


class WordAction(models.TextChoices):
    BLOCK = "block", "Block"
    CENSOR = "censor", "Censor"
    REQUIRE_APPROVAL = "require_approval", "Require approval"
    FLAG = "flag", "Flag"


class WatchedWord(models.Model):
    word = models.CharField(max_length=100)
    # The word as matching sees it (full-width folded, lower case, no spaces or punctuation).
    normalized = models.CharField(max_length=100)
    action = models.CharField(max_length=20, choices=WordAction.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["normalized", "action"], name="watched_word_unique_per_action"
            )
        ]


class MemberTrust(models.Model):
    """A member's trust level and the behaviour it was computed from (kept by events, recomputed
    nightly)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trust"
    )
    level = models.PositiveSmallIntegerField(default=0)
    approved_posts = models.PositiveIntegerField(default=0)
    likes_received = models.PositiveIntegerField(default=0)
    days_visited = models.PositiveIntegerField(default=0)
    last_visit_on = models.DateField(null=True, blank=True)
    agreed_flags_against = models.PositiveIntegerField(default=0)
    # Reporter accuracy: decisions on this member's reports.
    reports_agreed = models.PositiveIntegerField(default=0)
    reports_disagreed = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=0) & Q(level__lte=3), name="member_trust_level_range"
            )
        ]
