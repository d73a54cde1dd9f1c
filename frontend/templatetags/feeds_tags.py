"""Feeds blocks other pages include with one line: the home feed tabs, a product's reviews."""

from django import template

from frontend.views import feeds as feeds_pages

register = template.Library()


@register.inclusion_tag("feeds/_home_feed.html", takes_context=True)
def home_feed(context) -> dict:
    request = context["request"]
    return {"request": request, "user": request.user, **feeds_pages.feed_section(request)}


@register.inclusion_tag("feeds/_product_reviews.html", takes_context=True)
def product_reviews(context, product) -> dict:
    return {
        "product": product,
        "user": context["request"].user,
        **feeds_pages.product_reviews_context(product.pk),
    }
