"""Demo catalog: categories, products with Pillow-drawn photos, Lily's storefront and code.

Idempotent and built through the services (the photos go through the one image pipeline), so
the demo data obeys the same rules as real data. Call it outside a transaction.
"""

import hashlib
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image, ImageColor, ImageDraw, ImageFont

from community.models import ItemStatus, ModerationItem, User
from community.services.moderation.decisions import item_decide
from groupbuy.models import (
    Category,
    Collection,
    CollectionItem,
    CreatorCode,
    Product,
    Storefront,
)
from groupbuy.selectors.catalog import is_creator, is_staff
from groupbuy.services.catalog import category_create, product_create, product_image_add
from groupbuy.services.storefronts import (
    collection_create,
    collection_item_add,
    creator_code_create,
    storefront_create,
)

CATEGORIES = [
    ("厨房 Kitchen", "kitchen"),
    ("生鲜 Fresh food", "fresh"),
    ("美妆 Beauty", "beauty"),
    ("运动 Sports", "sports"),
    ("母婴 Baby", "baby"),
]

# title, category, price, stock, commission rate, colours, label drawn on the photo, description
PRODUCTS = [
    (
        "郫县豆瓣酱 Pixian bean paste 500g",
        "kitchen",
        "19.90",
        240,
        "0.10",
        ("#b91c1c", "#f97316"),
        "Bean Paste",
        "Three-year aged broad-bean chili paste, the soul of mapo tofu.",
    ),
    (
        "汉源花椒 Sichuan peppercorn 100g",
        "kitchen",
        "29.90",
        180,
        "0.12",
        ("#7f1d1d", "#dc2626"),
        "Peppercorn",
        "Hanyuan red peppercorn, hand-picked, strong numbing aroma.",
    ),
    (
        "手工辣椒油 Chili oil 250ml",
        "kitchen",
        "24.50",
        150,
        "0.15",
        ("#991b1b", "#fb923c"),
        "Chili Oil",
        "Slow-fried in rapeseed oil with sesame and star anise.",
    ),
    (
        "铸铁炒锅 Cast-iron wok 32cm",
        "kitchen",
        "189.00",
        40,
        "0.08",
        ("#1f2937", "#6b7280"),
        "Iron Wok",
        "Pre-seasoned, flat bottom, works on induction.",
    ),
    (
        "竹蒸笼 Bamboo steamer set",
        "kitchen",
        "59.00",
        75,
        "0.10",
        ("#a16207", "#fde68a"),
        "Steamer",
        "Two tiers and a lid, 26 cm, for buns and dumplings.",
    ),
    (
        "赣南脐橙 Navel oranges 5kg",
        "fresh",
        "49.90",
        300,
        "0.05",
        ("#ea580c", "#fdba74"),
        "Oranges",
        "Gannan navel oranges picked to order, sweet and juicy.",
    ),
    (
        "云南小土豆 Yunnan baby potatoes 3kg",
        "fresh",
        "22.80",
        260,
        "0.05",
        ("#854d0e", "#fcd34d"),
        "Potatoes",
        "Yellow-fleshed mountain potatoes, great for dry-pot.",
    ),
    (
        "散养土鸡蛋 Free-range eggs x30",
        "fresh",
        "39.90",
        120,
        "0.06",
        ("#a3a3a3", "#fef3c7"),
        "Eggs",
        "From hens on a hillside farm in Guizhou.",
    ),
    (
        "玻尿酸面膜 Hyaluronic sheet masks x10",
        "beauty",
        "69.00",
        200,
        "0.20",
        ("#0e7490", "#a5f3fc"),
        "Masks",
        "Fragrance-free, patch-tested for sensitive skin.",
    ),
    (
        "氨基酸洁面 Amino-acid cleanser",
        "beauty",
        "45.00",
        160,
        "0.18",
        ("#be185d", "#fbcfe8"),
        "Cleanser",
        "Gentle low-pH foam, 120 g.",
    ),
    (
        "防晒乳 SPF50 sunscreen 50ml",
        "beauty",
        "89.00",
        90,
        "0.20",
        ("#ca8a04", "#fef08a"),
        "SPF 50",
        "Light, no white cast, water-resistant for 80 minutes.",
    ),
    (
        "跑步袜 Running socks x3",
        "sports",
        "35.00",
        220,
        "0.12",
        ("#1d4ed8", "#93c5fd"),
        "Socks",
        "Cushioned heel, seamless toe, three pairs.",
    ),
    (
        "瑜伽垫 Yoga mat 6mm",
        "sports",
        "99.00",
        60,
        "0.15",
        ("#6d28d9", "#c4b5fd"),
        "Yoga Mat",
        "TPE, non-slip both sides, carry strap included.",
    ),
    (
        "运动水壶 Sports bottle 750ml",
        "sports",
        "42.00",
        0,
        "0.10",
        ("#047857", "#6ee7b7"),
        "Bottle",
        "Leak-proof lid, BPA-free. Back in stock soon.",
    ),
    (
        "婴儿纸尿裤 Diapers M x62",
        "baby",
        "109.00",
        140,
        "0.05",
        ("#0369a1", "#bae6fd"),
        "Diapers",
        "Breathable, 12-hour dry, size M (6-11 kg).",
    ),
    (
        "宝宝米粉 Baby rice cereal 250g",
        "baby",
        "58.00",
        100,
        "0.06",
        ("#65a30d", "#d9f99d"),
        "Rice Cereal",
        "Iron-fortified first food from 6 months.",
    ),
]

STOREFRONT = {
    "slug": "lily-kitchen",
    "title": "Lily 的川味厨房",
    "bio": "Home cook from Chengdu. Everything here is in my own kitchen, every single day.",
}
# collection title, collection note, [(product title prefix, creator's note)]
COLLECTIONS = [
    (
        "川菜必备 Sichuan pantry",
        "The three jars I cook with every day.",
        [
            ("郫县豆瓣酱", "Fry it slowly in oil until it turns red: that is the whole secret."),
            ("汉源花椒", "Toast lightly and grind fresh; the numbing fades within a month."),
            ("手工辣椒油", "On noodles, dumplings, eggs… on everything, honestly."),
        ],
    ),
    (
        "厨房好物 Kitchen tools",
        "Tools that survived years of my cooking.",
        [
            ("铸铁炒锅", "Heavy, but it gives you real wok hei at home."),
            ("竹蒸笼", "Line it with cabbage leaves and nothing sticks."),
        ],
    ),
]
CREATOR_CODE = ("LILY5", 5)


def _font(size: int):
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        try:
            return ImageFont.load_default(size=size)
        except TypeError:
            return ImageFont.load_default()


def product_photo(label: str, colours: tuple[str, str], variant: int = 0, size: int = 600) -> bytes:
    """A believable product shot: a gradient backdrop, a lit product shape and its name."""
    top, bottom = (ImageColor.getrgb(c)[:3] for c in colours)
    gradient = Image.new("RGB", (1, size))
    for y in range(size):
        t = y / (size - 1)
        gradient.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    image = gradient.resize((size, size))
    draw = ImageDraw.Draw(image, "RGBA")
    digest = hashlib.sha256(f"{label}:{variant}".encode()).digest()
    # A soft shadow, the product's body (a jar, a box or a round fruit) and a highlight.
    cx, cy = size // 2, size // 2 + 20
    font = _font(size // 14)
    left, _, right, _ = ImageDraw.Draw(image).textbbox((0, 0), label, font=font)
    # The label must sit inside the product: widen the body for long names.
    w = max(size // 3 + digest[0] % 60, right - left + 60)
    h = size // 3 + digest[1] % 80
    draw.ellipse(
        (cx - w // 2 - 20, cy + h // 2 - 10, cx + w // 2 + 20, cy + h // 2 + 30), fill=(0, 0, 0, 60)
    )
    shape = digest[2] % 3
    box = (cx - w // 2, cy - h // 2, cx + w // 2, cy + h // 2)
    if shape == 0:
        draw.rounded_rectangle(box, radius=40, fill=(255, 255, 255, 220))
        draw.rectangle((box[0] + 20, box[1] - 30, box[2] - 20, box[1] + 10), fill=(40, 40, 40, 230))
    elif shape == 1:
        draw.rectangle(box, fill=(255, 255, 255, 215))
        draw.polygon(
            [(box[0], box[1]), (cx, box[1] - 40), (box[2], box[1])], fill=(255, 255, 255, 160)
        )
    else:
        draw.ellipse(box, fill=(255, 255, 255, 210))
    draw.ellipse((box[0] + 20, box[1] + 20, box[0] + 70, box[1] + 70), fill=(255, 255, 255, 120))
    draw.text((cx, cy), label, fill=colours[0], font=font, anchor="mm")
    draw.text(
        (size - 24, size - 24),
        "Tuanju",
        fill=(255, 255, 255, 200),
        font=_font(size // 24),
        anchor="rd",
    )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def staff_actor() -> User | None:
    for user in User.objects.filter(is_superuser=True).order_by("pk"):
        if is_staff(user):
            return user
    return None


def seed_catalog(stdout) -> None:
    """Categories, products, Lily's storefront with notes and her creator code (idempotent)."""
    staff = staff_actor()
    if staff is None:
        stdout.write("groupbuy.catalog: no staff account, catalog not seeded.")
        return
    categories = {}
    for sort, (name, slug) in enumerate(CATEGORIES):
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            category = category_create(actor=staff, name=name, slug=slug, sort=sort)
        categories[slug] = category
    products = {}
    for title, slug, price, stock, rate, colours, label, description in PRODUCTS:
        product = Product.objects.filter(title=title).first()
        if product is None:
            product = product_create(
                actor=staff,
                title=title,
                price=Decimal(price),
                stock=stock,
                commission_rate=Decimal(rate),
                description=description,
                category=categories[slug],
            )
        if not product.images.exists():
            for variant in range(2):
                upload = ContentFile(product_photo(label, colours, variant), name=f"{label}.jpg")
                product_image_add(actor=staff, product=product, upload=upload)
        products[title] = product
    _seed_storefront(products)
    stdout.write(f"groupbuy.catalog: {len(products)} products, storefront /store/lily-kitchen/.")


def _seed_storefront(products: dict[str, Product]) -> None:
    creator = User.objects.filter(username="creator").first()
    if creator is None or not is_creator(creator):
        return
    storefront = Storefront.objects.filter(owner=creator).first()
    if storefront is None:
        storefront = storefront_create(actor=creator, **STOREFRONT)
    for sort, (title, note, picks) in enumerate(COLLECTIONS):
        collection = Collection.objects.filter(storefront=storefront, title=title).first()
        if collection is None:
            collection = collection_create(
                actor=creator, storefront=storefront, title=title, note=note, sort=sort
            )
        collection.storefront = storefront
        for position, (prefix, item_note) in enumerate(picks):
            product = next(p for t, p in products.items() if t.startswith(prefix))
            if not CollectionItem.objects.filter(collection=collection, product=product).exists():
                collection_item_add(
                    actor=creator,
                    collection=collection,
                    product_id=product.pk,
                    note=item_note,
                    sort=position,
                )
    code, percent = CREATOR_CODE
    if not CreatorCode.objects.filter(code__iexact=code).exists():
        creator_code_create(actor=creator, code=code, discount_percent=percent)
    _approve_held(storefront)


def _approve_held(storefront: Storefront) -> None:
    """The demo creator is brand new (trust level 0), so the storefront and its listings wait
    for a moderator: the demo moderator approves them, as one would."""
    moderator = User.objects.filter(username="mod").first()
    item = (
        ModerationItem.objects.filter(target_type="storefront", target_id=storefront.pk)
        .exclude(status=ItemStatus.RESOLVED)
        .first()
    )
    if moderator is None or item is None:
        return
    item_decide(
        moderator=moderator,
        item_id=item.pk,
        action="approve",
        reason="店铺资料审核通过",
        version=item.version,
    )
