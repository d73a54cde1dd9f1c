"""Demo notes with generated photos, one per (author, title): made once, found again after."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from community.models import User
from feeds.demo.moderation import approve_held
from feeds.models.posts import Post, PostStatus
from feeds.services import posts
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


def photo(colour: str, label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (900, 1200), colour)
    ImageDraw.Draw(image).text((40, 40), label, fill="white")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{label}.jpg", out.getvalue(), content_type="image/jpeg")


def seed_posts(users: dict[str, User]) -> list[Post]:
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
                uploads=[photo(c, f"{username}-{n}") for n, c in enumerate(colours)],
            )
        if post.status == PostStatus.PENDING_REVIEW:
            approve_held("post", post.pk)
            post.refresh_from_db()
        made.append(post)
    return made
