"""Accounts: registration, login and logout (session and token), profile edits, roles."""

import hashlib
import secrets
import time

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from community.exceptions import (
    InvalidCredentialsError,
    InvalidInviteCodeError,
    LoginLockedError,
    UsernameTakenError,
    WeakPasswordError,
)
from community.models import ItemSource, Role, RoleGrant, User, WordAction
from community.services.insights.events import (
    sign_up_event_id,
    track,
    visitor_id_of,
    visitor_link_request,
)
from community.services.loyalty import invite_reward_registration
from community.services.moderation.reports import content_review_open
from community.services.moderation.sanctions import ensure_can_publish
from community.services.moderation.words import texts_screen
from community.signals import invitee_registered, member_registered

# Staff and moderators work in Django admin, so their roles open it.
ADMIN_ROLES = {Role.STAFF, Role.MODERATOR}


def user_register(
    *, username: str, password: str, display_name: str = "", invite_code: str = ""
) -> tuple[User, str]:
    """Create a member and their API token; the username is unique regardless of case.

    An invite code links the new member to the inviter, who is rewarded once.
    """
    inviter = None
    if invite_code:
        inviter = User.objects.filter(
            invite_code__iexact=invite_code.strip(), is_active=True
        ).first()
        if inviter is None:
            raise InvalidInviteCodeError()
    candidate = User(
        username=username,
        display_name=display_name,
        invited_by=inviter,
        invite_code=new_invite_code(),
    )
    try:
        validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise WeakPasswordError(" ".join(exc.messages), fields={"password": exc.messages}) from exc
    candidate.set_password(password)
    try:
        with transaction.atomic(durable=True):
            candidate.save()
            token = Token.objects.create(user=candidate)
            # The channel a share link brought them through is added by feeds on commit
            # (sign_up_attribute), since only feeds knows the link.
            track(
                "sign_up",
                candidate,
                {"channel": "invite", "inviter_id": inviter.pk}
                if inviter is not None
                else {"channel": "organic"},
                event_id=sign_up_event_id(candidate.pk),
            )
            if inviter is not None:
                invite_reward_registration(inviter_id=inviter.pk, invitee_id=candidate.pk)
                transaction.on_commit(
                    lambda: invitee_registered.send(
                        sender=User, inviter_id=inviter.pk, invitee_id=candidate.pk
                    )
                )
            transaction.on_commit(
                lambda: member_registered.send(
                    sender=User,
                    user_id=candidate.pk,
                    inviter_id=inviter.pk if inviter is not None else None,
                )
            )
    except IntegrityError as exc:  # the case-insensitive unique constraint on username
        raise UsernameTakenError() from exc
    return candidate, token.key


def new_invite_code() -> str:
    return secrets.token_hex(5).upper()


def user_ensure_invite_code(*, user: User) -> str:
    """Give a member created outside registration (admin, demo data) an invite code."""
    if not user.invite_code:
        User.objects.filter(pk=user.pk, invite_code__isnull=True).update(
            invite_code=new_invite_code()
        )
        user.refresh_from_db(fields=["invite_code"])
    return user.invite_code or ""


def _lockout_keys(username: str) -> tuple[str, str]:
    account = hashlib.sha256(username.casefold().encode()).hexdigest()[:32]
    return f"login-failures:{account}", f"login-locked:{account}"


def _login_refuse_if_locked(username: str) -> None:
    _, locked_key = _lockout_keys(username)
    unlock_at = cache.get(locked_key)
    if unlock_at is not None:
        raise LoginLockedError(retry_after=max(1, int(unlock_at - time.time())))


def _login_failed(username: str) -> None:
    # Per account, whatever address the attempts come from: address throttles alone let a
    # botnet (or a forged X-Forwarded-For) guess one member's password forever.
    failures_key, locked_key = _lockout_keys(username)
    window = settings.LOGIN_LOCKOUT_MINUTES * 60
    cache.add(failures_key, 0, timeout=window)  # the window starts at the first failure
    try:
        failures = cache.incr(failures_key)
    except ValueError:  # expired between add and incr
        cache.set(failures_key, 1, timeout=window)
        failures = 1
    if failures >= settings.LOGIN_LOCKOUT_FAILURES:
        cache.set(locked_key, time.time() + window, timeout=window)
        cache.delete(failures_key)


def user_login(*, request, username: str, password: str) -> tuple[User, str]:
    """Check the password, open a session for the browser and return the API token."""
    # Refused before the password is checked: a locked account gives no oracle, even for the
    # right password.
    _login_refuse_if_locked(username)
    user = authenticate(request, username=username, password=password)
    if user is None:
        _login_failed(username)
        raise InvalidCredentialsError()
    cache.delete(_lockout_keys(username)[0])
    login(request, user)
    token, _ = Token.objects.get_or_create(user=user)
    visitor_link_request(request=request, user=user)
    if not visitor_id_of(request):
        # Apps without the page tracker: the login is the start of a session. Browsers report
        # their own session_start (track.js), which must not count twice.
        track("session_start", user, {"via": "login"})
    return user, token.key


def user_session_open(*, request, user: User) -> None:
    """Log a just-registered member into the browser session."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # The visits before sign-up (the tracker's visitor id) become the new member's.
    visitor_link_request(request=request, user=user)


def user_logout(*, request, user: User) -> None:
    """Revoke the API token and end the session."""
    Token.objects.filter(user=user).delete()
    logout(request)


@transaction.atomic
def user_update_profile(*, user: User, **changes) -> User:
    """Change the editable profile fields (display name, bio, region, avatar)."""
    editable = {"display_name", "bio", "region", "avatar"}
    unknown = set(changes) - editable
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not changes:
        return user
    texts = [field for field in ("display_name", "bio", "region") if field in changes]
    needs_review = None
    if texts:
        ensure_can_publish(user)
        screened, needs_review = texts_screen(*(changes[field] or "" for field in texts))
        changes.update(zip(texts, screened, strict=True))
    with transaction.atomic():
        for field, value in changes.items():
            setattr(user, field, value)
        user.save(update_fields=list(changes))
        if needs_review:
            held = needs_review == WordAction.REQUIRE_APPROVAL
            if held:
                User.objects.filter(pk=user.pk).update(profile_hidden_at=timezone.now())
            content_review_open(
                target_type="user",
                target_id=user.pk,
                author_id=user.pk,
                source=ItemSource.WATCHED_WORD,
                hidden=held,
                note="profile text matched a watched word",
            )
    return user


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: str) -> RoleGrant:
    """Give ``user`` a role (idempotent); staff and moderator roles open Django admin."""
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=role, defaults={"granted_by": actor})
    if role in ADMIN_ROLES and not user.is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    return grant


@transaction.atomic
def role_revoke(*, actor: User | None, user: User, role: str) -> None:
    """Take a role away; admin access goes with the last admin role (superusers keep it)."""
    RoleGrant.objects.filter(user=user, role=role).delete()
    still_admin = RoleGrant.objects.filter(user=user, role__in=ADMIN_ROLES).exists()
    if role in ADMIN_ROLES and not still_admin and not user.is_superuser:
        User.objects.filter(pk=user.pk).update(is_staff=False)
        user.is_staff = False
