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
