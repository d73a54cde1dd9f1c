"""Member profiles as moderatable content (target type ``user``): a report about a member hides
their name, bio and avatar from others when it reaches the threshold; sanctions act on the member."""

from django.utils import timezone

from community.models import User
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
