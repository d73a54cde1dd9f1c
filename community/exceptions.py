"""Domain errors of the community app (codes are API contract); one DRF handler maps them."""

from rest_framework import status

from config.exceptions import DomainError

# --- accounts ----------------------------------------------------------------------------------


class UsernameTakenError(DomainError):
    code = "username_taken"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "That username is already taken."


class InvalidCredentialsError(DomainError):
    code = "invalid_credentials"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Username or password is wrong."


class WeakPasswordError(DomainError):
    code = "weak_password"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The password is too weak."


class LoginLockedError(DomainError):
    code = "login_locked"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed sign-ins for this account; try again later."


class ForeignOriginError(DomainError):
    code = "foreign_origin"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "Sign-in and sign-up are accepted only from this site's own pages."


# --- social graph, profiles and interest communities -------------------------------------------


class CannotFollowSelfError(DomainError):
    code = "cannot_follow_self"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "You cannot follow yourself."


class CannotBlockSelfError(DomainError):
    code = "cannot_block_self"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "You cannot block yourself."


class BlockedError(DomainError):
    code = "blocked"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "One of you has blocked the other."


class TooManyInterestsError(DomainError):
    code = "too_many_interests"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Pick at most 10 interests."


class InvalidImageError(DomainError):
    code = "invalid_image"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Upload a valid JPEG, PNG or WebP image."


class ImageTooLargeError(DomainError):
    code = "image_too_large"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The image is too large."


class CommunityNameTakenError(DomainError):
    code = "community_name_taken"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "A community with that name already exists."


class AlreadyMemberError(DomainError):
    code = "already_member"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "You are already a member of this community."


class JoinPendingError(DomainError):
    code = "join_pending"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Your request to join is waiting for a leader's approval."


class NotAMemberError(DomainError):
    code = "not_a_member"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "You are not a member of this community."


class OwnerCannotLeaveError(DomainError):
    code = "owner_cannot_leave"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The owner cannot leave; hand the community over first."


class CommunityPermissionDeniedError(DomainError):
    """The same code as DRF's own refusal, so clients see one ``permission_denied`` everywhere."""

    code = "permission_denied"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "You do not have permission to perform this action."


class MembershipNotFoundError(DomainError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "No such member or join request."


# --- loyalty -----------------------------------------------------------------------------------


class AlreadyCheckedInError(DomainError):
    code = "already_checked_in"
    default_detail = "You have already checked in today."


class InsufficientPointsError(DomainError):
    code = "insufficient_points"
    default_detail = "Not enough points."


class InvalidInviteCodeError(DomainError):
    code = "invalid_invite_code"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "That invite code does not exist."


# --- moderation --------------------------------------------------------------------------------


class ForbiddenError(DomainError):
    code = "forbidden"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "You may not do this."


class BadTargetError(DomainError):
    code = "bad_target"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "There is no such content to report, or you cannot see it."


class AlreadyReportedError(DomainError):
    code = "already_reported"
    default_detail = "You have already reported this; a moderator will look at it."


class ModerationItemNotFoundError(DomainError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "No such queue item."


class AlreadyClaimedError(DomainError):
    code = "already_claimed"
    default_detail = "Another moderator is working on this item."


class AlreadyResolvedError(DomainError):
    code = "already_resolved"
    default_detail = "This item has already been decided."


class StaleVersionError(DomainError):
    code = "stale_version"
    default_detail = "Someone acted on this item first; reload it and decide again."


class ReasonRequiredError(DomainError):
    code = "reason_required"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Say why: the author and the reporters are told."


class BadActionError(DomainError):
    code = "bad_action"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Unknown moderation action."


class AppealForbiddenError(ForbiddenError):
    default_detail = "Only the author can appeal a decision about their content."


class NotAppealableError(DomainError):
    code = "not_appealable"
    default_detail = "This decision cannot be appealed."


class AppealWindowClosedError(DomainError):
    code = "appeal_window_closed"
    default_detail = "Decisions can be appealed within 14 days."


class AlreadyAppealedError(DomainError):
    code = "already_appealed"
    default_detail = "You have already appealed this decision."


class BlockedWordError(DomainError):
    code = "blocked_word"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "This text contains a word that is not allowed here."


class WatchedWordInvalidError(DomainError):
    code = "invalid_watched_word"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Give a word of 1 to 100 letters or digits."


class SanctionedError(DomainError):
    code = "sanctioned"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "Your account is restricted."

    def __init__(self, detail: str | None = None, *, kind: str = "", until=None) -> None:
        if detail is None:
            when = until.isoformat() if until is not None else None
            verb = {"mute": "muted", "suspend": "suspended", "ban": "banned"}.get(kind, kind)
            detail = f"You are {verb}" + (f" until {when}." if when else ".")
        super().__init__(detail, kind=kind, until=until.isoformat() if until else None)


# --- insights ----------------------------------------------------------------------------------


class BadBatchError(DomainError):
    code = "bad_batch"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The event batch is malformed; nothing was stored."


class BadRangeError(DomainError):
    code = "bad_range"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "from and to must be dates (YYYY-MM-DD), from <= to, at most 366 days apart."


class BadFunnelError(DomainError):
    code = "bad_funnel"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = (
        "steps must be 2 to 8 comma-separated event names and window_hours a whole number "
        "from 1 to 2160."
    )


class BadIntervalError(DomainError):
    code = "bad_interval"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "interval must be day or week."


# --- insights: experiments, segments and campaigns ------------------------------------------------


class ExperimentInvalidError(DomainError):
    code = "invalid_experiment"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The experiment is not valid."


class ExperimentExistsError(DomainError):
    code = "experiment_exists"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "An experiment with that key already exists."


class ExperimentNotFoundError(DomainError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "No such experiment."


class VisitorIdRequiredError(DomainError):
    code = "visitor_id_required"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Sign in, or send the X-Visitor-Id header."


class CampaignInvalidError(DomainError):
    code = "invalid_campaign"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The campaign is not valid."


class CampaignNotFoundError(DomainError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "No such campaign."


class CampaignAlreadySentError(DomainError):
    code = "campaign_already_sent"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This campaign has already been sent."
