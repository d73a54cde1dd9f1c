"""Demo reviews for the items of the demo members' completed orders (commerce's seeder completes
some), one with a photo; once per item."""

from community.models import User
from feeds.demo.moderation import approve_held
from feeds.demo.posts import photo
from feeds.models.reviews import Review
from feeds.services import reviews
from groupbuy import selectors as shop

REVIEW_TEXTS = [
    (5, "Exactly as described, fast delivery. Would buy again."),
    (4, "Good value at the group price; the packaging could be better."),
]


def seed_reviews(users: dict[str, User]) -> int:
    made = 0
    for username in ("alice", "bob", "carol"):
        buyer = users.get(username) or User.objects.filter(username=username).first()
        if buyer is None:
            continue
        for n, item in enumerate(shop.order_items_completed(buyer_id=buyer.pk)[:2]):
            if Review.objects.filter(order_item_id=item.pk).exists():
                continue
            rating, text = REVIEW_TEXTS[n % len(REVIEW_TEXTS)]
            photos = [photo("#d35400", f"review-{username}")] if n == 0 else []
            review = reviews.review_create(
                actor=buyer, order_item_id=item.pk, rating=rating, body=text, uploads=photos
            )
            approve_held("review", review.pk)
            made += 1
    return made
