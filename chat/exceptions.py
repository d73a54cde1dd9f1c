"""Domain errors of chat (codes are API contract; the project's handler renders them)."""

from rest_framework import status

from config.exceptions import DomainError


class NotAMemberError(DomainError):
    code = "not_a_member"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "You are not a member of this room."


class RoomPermissionDeniedError(DomainError):
    code = "permission_denied"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "Only the room's owner and admins may do that."


class CannotMessageSelfError(DomainError):
    code = "cannot_message_self"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "You cannot open a direct room with yourself."


class UnknownUsersError(DomainError):
    code = "unknown_users"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Some of these people do not exist."


class RoomFullError(DomainError):
    code = "room_full"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "A group room holds at most 500 people."


class NotAGroupRoomError(DomainError):
    code = "not_a_group_room"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Members are managed only in group rooms."


class OwnerCannotLeaveError(DomainError):
    code = "owner_cannot_leave"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The owner cannot leave or be removed from the room."


class ChatThrottledError(DomainError):
    code = "throttled"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "You are sending messages too fast; wait a moment."

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ClientMsgIdConflictError(DomainError):
    code = "client_msg_id_conflict"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This client_msg_id was already used for another message."


class InvalidReplyError(DomainError):
    code = "invalid_reply_to"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "You can only reply to a message of the same room."


class EditWindowPassedError(DomainError):
    code = "edit_window_passed"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Messages can be edited for 15 minutes only."


class MessageDeletedError(DomainError):
    code = "message_deleted"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This message was deleted."


class NotMessageSenderError(DomainError):
    code = "not_message_sender"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "Only the sender may edit a message."
