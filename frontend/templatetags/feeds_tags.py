"""Feeds blocks other pages include with one line: the home feed tabs, a product's reviews."""

from django import template

from frontend import views_feeds

register = template.Library()


@register.inclusion_tag("feeds/_home_feed.html", takes_context=True)
def home_feed(context) -> dict:
    request = context["request"]
    return {"request": request, "user": request.user, **views_feeds.feed_section(request)}


@register.inclusion_tag("feeds/_product_reviews.html", takes_context=True)
def product_reviews(context, product) -> dict:
    return {
        "product": product,
        "user": context["request"].user,
        **views_feeds.product_reviews_context(product.pk),
    }
