"""Domain errors of feeds (codes are API contract; see docs/feeds.md)."""

from rest_framework import status

from config.exceptions import DomainError


class PostNotFoundError(DomainError):
    code = "post_not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "No such post."


class TooManyImagesError(DomainError):
    code = "too_many_images"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "A post may have at most 9 images."


class PostImageNotFoundError(DomainError):
    code = "image_not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "This post has no such image."


class TooManyTopicsError(DomainError):
    code = "too_many_topics"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "A post may have at most 10 topics."


class InvalidTopicError(DomainError):
    code = "invalid_topic"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Topics are 1-40 letters, digits or underscores."


class ProductUnavailableError(DomainError):
    code = "product_unavailable"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "One of the linked products is not on sale."


class NotCommunityMemberError(DomainError):
    code = "not_community_member"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "Join the community before posting in it."


class PostNotEditableError(DomainError):
    code = "post_not_editable"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This post was hidden or removed by a moderator and cannot be edited."


class PostNotPublishedError(DomainError):
    code = "post_not_published"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Only published posts can be liked, saved, shared or commented on."


class CommentNotFoundError(DomainError):
    code = "comment_not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "No such comment."


class ReviewNotAllowedError(DomainError):
    code = "review_not_allowed"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "You can review only items of your own completed orders."


class AlreadyReviewedError(DomainError):
    code = "already_reviewed"
    status_code = status.HTTP_409_CONFLICT
    default_detail = "You already reviewed this item."


class QuestionNotFoundError(DomainError):
    code = "question_not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "No such question."


class ShareTargetInvalidError(DomainError):
    code = "share_target_invalid"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "That cannot be shared: it does not exist or is not public."


class ShareLinkNotFoundError(DomainError):
    code = "share_link_not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "No such share link."


class SearchQueryInvalidError(DomainError):
    code = "invalid_query"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Search for 1-100 characters."


class FeedsPermissionDeniedError(DomainError):
    code = "permission_denied"
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = "You may not do that."


class NotPostAuthorError(FeedsPermissionDeniedError):
    default_detail = "Only the author can change this post."


class StaffOnlyError(FeedsPermissionDeniedError):
    default_detail = "Only staff can do that."


class ReviewNotFoundError(DomainError):
    code = "review_not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "No such review."
