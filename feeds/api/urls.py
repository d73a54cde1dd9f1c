from django.urls import path

from feeds.api import views as v

urlpatterns = [
    path("posts/", v.PostListCreateView.as_view(), name="post-list"),
    path("posts/<int:post_id>/", v.PostDetailView.as_view(), name="post-detail"),
    path("posts/<int:post_id>/images/", v.PostImagesView.as_view(), name="post-images"),
    path(
        "posts/<int:post_id>/images/<int:image_id>/",
        v.PostImageDetailView.as_view(),
        name="post-image-detail",
    ),
    path("posts/<int:post_id>/like/", v.PostLikeView.as_view(), name="post-like"),
    path("posts/<int:post_id>/save/", v.PostSaveView.as_view(), name="post-save"),
    path("posts/<int:post_id>/pin/", v.PostPinView.as_view(), name="post-pin"),
    path("posts/<int:post_id>/comments/", v.PostCommentsView.as_view(), name="post-comments"),
    path("comments/<int:comment_id>/", v.CommentDetailView.as_view(), name="comment-detail"),
    path("feeds/following/", v.FollowingFeedView.as_view(), name="feed-following"),
    path("feeds/for-you/", v.ForYouFeedView.as_view(), name="feed-for-you"),
    path("feeds/trending/", v.TrendingFeedView.as_view(), name="feed-trending"),
    path("feeds/featured/", v.FeaturedFeedView.as_view(), name="feed-featured"),
    path("topics/trending/", v.TrendingTopicsView.as_view(), name="topics-trending"),
    path("topics/<str:name>/posts/", v.TopicFeedView.as_view(), name="topic-posts"),
    path(
        "communities/<int:community_id>/posts/",
        v.CommunityFeedView.as_view(),
        name="community-posts",
    ),
    path("reviews/", v.ReviewCreateView.as_view(), name="review-create"),
    path("reviews/<int:review_id>/", v.ReviewDetailView.as_view(), name="review-detail"),
    path(
        "products/<int:product_id>/reviews/",
        v.ProductReviewsView.as_view(),
        name="product-reviews",
    ),
    path(
        "products/<int:product_id>/reviews/summary/",
        v.ProductReviewSummaryView.as_view(),
        name="product-review-summary",
    ),
    path(
        "products/<int:product_id>/questions/",
        v.ProductQuestionsView.as_view(),
        name="product-questions",
    ),
    path(
        "questions/<int:question_id>/answers/",
        v.AnswerCreateView.as_view(),
        name="question-answers",
    ),
    path("search/", v.SearchView.as_view(), name="search"),
    path("share-links/", v.ShareLinkListCreateView.as_view(), name="share-links"),
    path("share-links/<str:code>/stats/", v.ShareLinkStatsView.as_view(), name="share-link-stats"),
]
