"""Tables of feeds, one module per topic. Importing each module here registers all its models;
the names re-exported are the ones callers outside feeds use (feeds imports the topic modules)."""

from feeds.models.feeds import PostSimilarity
from feeds.models.interactions import Comment, Like, Save
from feeds.models.posts import Post, PostImage, PostProduct, PostStatus, PostTopic
from feeds.models.reviews import Review, ReviewImage
from feeds.models.shares import RewardStatus, ShareClick, ShareFraudFlag, ShareLink, ShareReward
from feeds.models.topics import Topic

__all__ = [
    "Comment",
    "Like",
    "Post",
    "PostImage",
    "PostProduct",
    "PostSimilarity",
    "PostStatus",
    "PostTopic",
    "Review",
    "ReviewImage",
    "RewardStatus",
    "Save",
    "ShareClick",
    "ShareFraudFlag",
    "ShareLink",
    "ShareReward",
    "Topic",
]
