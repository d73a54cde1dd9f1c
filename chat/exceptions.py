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


class UnknownCardKindError(DomainError):
    code = "unknown_card_kind"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Cards can show a product, an order, a storefront or a coupon."


class InvalidCardError(DomainError):
    code = "invalid_card"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "That object does not exist or you may not share it."


class InvalidEmojiError(DomainError):
    code = "invalid_emoji"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "A reaction is a single emoji."


class ConversationClosedError(DomainError):
    code = "conversation_closed"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This support conversation is closed."


# --- support ------------------------------------------------------------------------------------


class NotAnAgentError(DomainError):
    code = "not_an_agent"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "Only support agents may do that."


class NotYourOrderError(DomainError):
    code = "not_your_order"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "You can only ask about your own orders."


class AlreadyClaimedError(DomainError):
    code = "already_claimed"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Another agent took this conversation first."


class InvalidSupportStateError(DomainError):
    code = "invalid_state"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The conversation is not in a state that allows this."


class NotYourConversationError(DomainError):
    code = "permission_denied"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "This conversation is not yours."


class AlreadyRatedError(DomainError):
    code = "already_rated"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "You already rated this conversation."


class NotStaffError(DomainError):
    code = "permission_denied"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "Only staff may review feedback."


class FeedbackAlreadyReviewedError(DomainError):
    code = "already_reviewed"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This feedback was already reviewed differently."


# --- livestreams --------------------------------------------------------------------------------


class NotACreatorError(DomainError):
    code = "not_a_creator"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "Only approved creators can host livestreams."


class NotTheHostError(DomainError):
    code = "not_the_host"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "Only the host (or a moderator) may do that."


class StreamStateError(DomainError):
    code = "invalid_state"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The livestream is not in a state that allows this."


class StreamNotLiveError(DomainError):
    code = "stream_not_live"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Comments and likes are open only while the stream is live."


class MutedError(DomainError):
    code = "muted"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "You were muted in this livestream."


class SlowModeError(DomainError):
    # API.md has one code for every 429; the reason tells slow mode from "too fast" so the page
    # can say which (and a client that knows only "throttled" still waits Retry-After).
    code = "throttled"
    reason = "slow_mode"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Slow mode is on: wait before commenting again."

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(detail, reason=self.reason, retry_after=retry_after)
        self.retry_after = retry_after
