"""Community's own moderatable types: member profiles (``user``: a report about a member hides
their name, bio and avatar from others at the threshold; sanctions act on the member) and appeals
(``appeal``: shown in the queue, never reported)."""

from django.utils import timezone

from community.models import Appeal, User
from community.selectors.moderatable import ModeratableType, register_moderatable


def _load_many(ids) -> dict[int, User]:
    return {user.pk: user for user in User.objects.filter(pk__in=list(ids))}


def _hide(user: User) -> None:
    if user.profile_hidden_at is None:
        user.profile_hidden_at = timezone.now()
        User.objects.filter(pk=user.pk).update(profile_hidden_at=user.profile_hidden_at)


def _restore(user: User) -> None:
    user.profile_hidden_at = None
    User.objects.filter(pk=user.pk).update(profile_hidden_at=None)


def _preview(user: User) -> dict:
    return {
        "text": " · ".join(part for part in (user.display_name, user.bio) if part),
        "author": user.username,
        "url": f"/u/{user.username}/",
    }


def register_profiles_moderatable() -> None:
    """Register member profiles with the moderation registry (community's own content type)."""
    register_moderatable(
        ModeratableType(
            name="user",
            load_many=_load_many,
            author_id=lambda user: user.pk,
            visible_to=lambda user, viewer: user.is_active and user.deleted_at is None,
            hide=_hide,
            restore=_restore,
            preview=_preview,
            is_hidden=lambda user: user.profile_hidden_at is not None,
        )
    )


def _load_appeals(ids) -> dict[int, Appeal]:
    appeals = Appeal.objects.filter(pk__in=list(ids)).select_related("author", "decision")
    return {appeal.pk: appeal for appeal in appeals}


def _appeal_preview(appeal: Appeal) -> dict:
    decision = appeal.decision
    return {
        "text": appeal.body,
        "author": appeal.author.username,
        "appealed_action": decision.action,
        "appealed_reason": decision.reason,
        "target_type": decision.target_type,
        "target_id": decision.target_id,
    }


def _nothing(appeal: Appeal) -> None:
    """An appeal is not content: deciding it acts on the appealed decision instead."""


def register_appeals_moderatable() -> None:
    """Appeals are queue items too: register how the queue shows them (nobody reports one)."""
    register_moderatable(
        ModeratableType(
            name="appeal",
            load_many=_load_appeals,
            author_id=lambda appeal: appeal.author_id,
            visible_to=lambda appeal, viewer: False,
            hide=_nothing,
            restore=_nothing,
            preview=_appeal_preview,
        )
    )
