from rest_framework import status

from config.exceptions import DomainError


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
