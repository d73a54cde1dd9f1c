"""Demo notes with generated photos, comments, likes, share links and clicks.

Reviews are written for the items of the demo members' completed orders (commerce's seeder
completes some), one with a photo.

Idempotent: a post is made once per (author, title); interactions are unique rows already.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from community.models import User
from feeds.models import Comment, Post, Review
from feeds.services import interactions, posts, recommendations, reviews, shares
from groupbuy import selectors as shop

NOTES = [
    (
        "creator",
        "郫县豆瓣炒出红油的秘诀",
        "小火慢炒, 油色变红就好 #川菜 #cooking",
        ["#c0392b", "#e67e22"],
    ),
    ("alice", "Morning pour-over", "A light roast from Yunnan, 92 °C. #coffee", ["#6f4e37"]),
    ("bob", "Sunday run by the river", "10 km, easy pace. #running", ["#2e86de", "#10ac84"]),
    ("carol", "What I read this month", "Three novels and a cookbook. #reading", ["#8e44ad"]),
    (
        "leader",
        "Hiking the tea hills",
        "Photos from Longjing village #hiking #tea",
        ["#27ae60", "#16a085", "#f1c40f"],
    ),
]


def _photo(colour: str, label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (900, 1200), colour)
    ImageDraw.Draw(image).text((40, 40), label, fill="white")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{label}.jpg", out.getvalue(), content_type="image/jpeg")


def seed_feeds(stdout) -> None:
    users = {
        u.username: u for u in User.objects.filter(username__in=[n[0] for n in NOTES] + ["admin"])
    }
    products = list(shop.product_list(viewer=None).order_by("id")[:3])
    made = []
    for i, (username, title, body, colours) in enumerate(NOTES):
        author = users.get(username)
        if author is None:
            continue
        post = Post.objects.filter(author=author, title=title).first()
        if post is None:
            post = posts.post_create(
                actor=author,
                data=posts.PostInput(
                    title=title,
                    body=body,
                    product_ids=[products[i % len(products)].pk] if products else [],
                ),
                uploads=[_photo(c, f"{username}-{n}") for n, c in enumerate(colours)],
            )
        made.append(post)
    readers = list(users.values())
    for post in made:
        for reader in readers:
            if reader.pk != post.author_id:
                interactions.post_like(actor=reader, post=post)
        if not Comment.objects.filter(post=post).exists():
            commenter = next((r for r in readers if r.pk != post.author_id), None)
            if commenter is not None:
                interactions.comment_create(actor=commenter, post=post, body="看起来好棒!")
    for username, post in (
        ("alice", made[0] if made else None),
        ("bob", made[-1] if made else None),
    ):
        sharer = users.get(username)
        if sharer is None or post is None:
            continue
        link, _ = shares.share_link_create(actor=sharer, target_type="post", target_id=post.pk)
        if not link.clicks.exists():
            for n in range(3):
                shares.share_click_record(
                    code=link.code,
                    visitor=shares.Visitor(user=None, ip=f"203.0.113.{n}", user_agent="demo"),
                )
    reviewed = _seed_reviews(users)
    recommendations.recommendations_rebuild()
    stdout.write(
        f"feeds.posts: {len(made)} notes with photos, likes, comments and share links; "
        f"{reviewed} reviews."
    )


REVIEW_TEXTS = [
    (5, "Exactly as described, fast delivery. Would buy again."),
    (4, "Good value at the group price; the packaging could be better."),
]


def _seed_reviews(users: dict[str, User]) -> int:
    made = 0
    for username in ("alice", "bob", "carol"):
        buyer = users.get(username) or User.objects.filter(username=username).first()
        if buyer is None:
            continue
        for n, item in enumerate(shop.order_items_completed(buyer_id=buyer.pk)[:2]):
            if Review.objects.filter(order_item_id=item.pk).exists():
                continue
            rating, text = REVIEW_TEXTS[n % len(REVIEW_TEXTS)]
            photos = [_photo("#d35400", f"review-{username}")] if n == 0 else []
            reviews.review_create(
                actor=buyer, order_item_id=item.pk, rating=rating, body=text, uploads=photos
            )
            made += 1
    return made
