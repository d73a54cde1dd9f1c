"""Every page of the site, grouped by topic (the same topics as the domain apps).

Order matters where paths overlap: ``store/manage/`` is listed before ``store/<slug:slug>/``.
``/s/`` is reserved for share links (feeds), so storefronts live under ``/store/``.
"""

from django.urls import path

from frontend.views import (
    accounts,
    addresses,
    catalog,
    chat,
    communities,
    feeds,
    flash_sales,
    insights,
    insights_experiments,
    live,
    loyalty,
    moderation,
    notifications,
    orders,
    social,
    support,
    teams,
)

urlpatterns = [
    # home and accounts
    path("", accounts.home, name="home"),
    path("login/", accounts.login_page, name="login"),
    path("register/", accounts.register_page, name="register"),
    path("me/", accounts.me_page, name="me"),
    # loyalty
    path("leaderboard/", loyalty.leaderboard_page, name="leaderboard"),
    # notifications
    path("notifications/", notifications.notifications_page, name="notifications"),
    # social
    path("u/<str:username>/", social.profile_page, name="profile"),
    path("settings/", social.settings_page, name="settings"),
    # communities
    path("communities/", communities.communities_page, name="communities"),
    path("communities/<int:community_id>/", communities.community_page, name="community"),
    # catalog and storefronts
    path("products/", catalog.products_page, name="products"),
    path("products/<int:product_id>/", catalog.product_page, name="product"),
    path("store/manage/", catalog.store_manage_page, name="store-manage"),
    path("store/<slug:slug>/", catalog.storefront_page, name="storefront"),
    # orders, coupons and the creator dashboard
    path("cart/", orders.cart_page, name="cart"),
    path("me/addresses/", addresses.addresses_page, name="addresses"),
    path("orders/", orders.orders_page, name="orders"),
    path("orders/<int:order_id>/", orders.order_page, name="order"),
    path("coupons/", orders.coupons_page, name="coupons"),
    path("creator/dashboard/", orders.creator_dashboard_page, name="creator-dashboard"),
    # flash sales
    path("flash-sales/", flash_sales.flash_sales_page, name="flash-sales"),
    path("flash-sales/<int:sale_id>/", flash_sales.flash_sale_page, name="flash-sale"),
    # group-buy campaigns and teams
    path("campaigns/", teams.campaigns_page, name="campaigns"),
    path("campaigns/<int:campaign_id>/", teams.campaign_page, name="campaign"),
    path("teams/<int:team_id>/", teams.team_page, name="team"),
    path("me/group-buys/", teams.my_group_buys_page, name="my-group-buys"),
    # chat
    path("chat/", chat.chat_list_page, name="chat"),
    path("chat/new/", chat.chat_new_page, name="chat-new"),
    path("chat/<int:room_id>/", chat.chat_room_page, name="chat-room"),
    # live
    path("live/", live.live_list_page, name="live-list"),
    path("live/new/", live.live_new_page, name="live-new"),
    path("live/<int:stream_id>/", live.live_page, name="live"),
    path("live/<int:stream_id>/console/", live.live_console_page, name="live-console"),
    # support
    path("support/", support.support_page, name="support"),
    path("support/agent/", support.support_agent_page, name="support-agent"),
    path(
        "support/<int:conversation_id>/",
        support.support_conversation_page,
        name="support-conversation",
    ),
    # feeds: posts, topics, search, share links
    path("feed/", feeds.feed_page, name="feed"),
    path("posts/new/", feeds.compose_page, name="post-compose"),
    path("posts/<int:post_id>/", feeds.post_page, name="post"),
    path("topics/<str:name>/", feeds.topic_page, name="topic"),
    path("search/", feeds.search_page, name="search"),
    path("me/share-links/", feeds.share_links_page, name="share-links"),
    # staff insights: the metrics dashboard, experiments and campaigns
    path("insights/", insights.dashboard_page, name="insights-dashboard"),
    path(
        "insights/experiments/",
        insights_experiments.experiments_page,
        name="insights-experiments",
    ),
    path("insights/campaigns/", insights_experiments.campaigns_page, name="insights-campaigns"),
    # moderation: the moderators' console, a member's decisions and appeals, the public log
    path("moderation/", moderation.console_page, name="moderation-console"),
    path("moderation/log/", moderation.log_page, name="moderation-log"),
    path("me/moderation/", moderation.my_moderation_page, name="my-moderation"),
]
