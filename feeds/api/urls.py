"""The feeds API under /api/v1/ (``urlpatterns``) and the share-link redirect served at the site
root (``root_urlpatterns``)."""

from django.urls import path

from feeds.api import feeds, interactions, posts, reviews, search, shares, topics

urlpatterns = [
    path("posts/", posts.PostListCreateView.as_view(), name="post-list"),
    path("posts/<int:post_id>/", posts.PostDetailView.as_view(), name="post-detail"),
    path("posts/<int:post_id>/images/", posts.PostImagesView.as_view(), name="post-images"),
    path(
        "posts/<int:post_id>/images/<int:image_id>/",
        posts.PostImageDetailView.as_view(),
        name="post-image-detail",
    ),
    path("posts/<int:post_id>/like/", interactions.PostLikeView.as_view(), name="post-like"),
    path("posts/<int:post_id>/save/", interactions.PostSaveView.as_view(), name="post-save"),
    path("posts/<int:post_id>/pin/", posts.PostPinView.as_view(), name="post-pin"),
    path(
        "posts/<int:post_id>/comments/",
        interactions.PostCommentsView.as_view(),
        name="post-comments",
    ),
    path(
        "comments/<int:comment_id>/",
        interactions.CommentDetailView.as_view(),
        name="comment-detail",
    ),
    path("feeds/following/", feeds.FollowingFeedView.as_view(), name="feed-following"),
    path("feeds/for-you/", feeds.ForYouFeedView.as_view(), name="feed-for-you"),
    path("feeds/trending/", feeds.TrendingFeedView.as_view(), name="feed-trending"),
    path("feeds/featured/", feeds.FeaturedFeedView.as_view(), name="feed-featured"),
    path("topics/trending/", topics.TrendingTopicsView.as_view(), name="topics-trending"),
    path("topics/<str:name>/posts/", feeds.TopicFeedView.as_view(), name="topic-posts"),
    path(
        "communities/<int:community_id>/posts/",
        feeds.CommunityFeedView.as_view(),
        name="community-posts",
    ),
    path("reviews/", reviews.ReviewCreateView.as_view(), name="review-create"),
    path("reviews/<int:review_id>/", reviews.ReviewDetailView.as_view(), name="review-detail"),
    path(
        "products/<int:product_id>/reviews/",
        reviews.ProductReviewsView.as_view(),
        name="product-reviews",
    ),
    path(
        "products/<int:product_id>/reviews/summary/",
        reviews.ProductReviewSummaryView.as_view(),
        name="product-review-summary",
    ),
    path(
        "products/<int:product_id>/questions/",
        reviews.ProductQuestionsView.as_view(),
        name="product-questions",
    ),
    path(
        "questions/<int:question_id>/answers/",
        reviews.AnswerCreateView.as_view(),
        name="question-answers",
    ),
    path("search/", search.SearchView.as_view(), name="search"),
    path("share-links/", shares.ShareLinkListCreateView.as_view(), name="share-links"),
    path(
        "share-links/<str:code>/stats/",
        shares.ShareLinkStatsView.as_view(),
        name="share-link-stats",
    ),
]

# Served at the site root, not under /api/v1/: the link members paste.
root_urlpatterns = [path("s/<str:code>", shares.share_redirect, name="share-redirect")]
