"""Posting notes: images through the one pipeline, topics, products, states, edits, deletes."""

import io

import pytest
from PIL import Image

from community.models import GrowthEntry, PointsEntry
from feeds.models import Post, PostImage, PostStatus, Topic
from tests.factories import UserFactory
from tests.feeds.conftest import client_for, image_bytes, make_post, stored_files, upload

pytestmark = pytest.mark.django_db


def _post(client, **fields):
    data = {"title": "Mapo tofu at home", "body": "Fry the paste first #川菜", **fields}
    return client.post("/api/v1/posts/", data, format="multipart")


def test_posting_a_note_with_two_photos_topics_and_a_product(
    author, product, media, django_capture_on_commit_callbacks
):
    client = client_for(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            images=[upload(image_bytes(size=(1600, 1200))), upload(image_bytes("JPEG"), "b.jpg")],
            topics=["homecooking"],
            products=[product.pk],
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "published"
    assert body["title"] == "Mapo tofu at home"
    assert sorted(body["topics"]) == ["homecooking", "川菜"]
    assert [p["id"] for p in body["products"]] == [product.pk]
    assert body["products"][0]["price"] == "19.90"
    assert len(body["images"]) == 2
    post = Post.objects.get(pk=body["id"])
    images = list(PostImage.objects.filter(post=post))
    assert [(i.width, i.height) for i in images] == [(1600, 1200), (64, 48)]
    # The thumbnail task ran on commit: WebP files at the configured sides.
    for image in images:
        assert set(image.thumbnails) == {"360", "1080"}
        with Image.open(media / image.thumbnails["360"]) as thumb:
            assert thumb.format == "WEBP"
            assert max(thumb.size) <= 360
    # Growth value and the post points are paid once for the post.
    assert GrowthEntry.objects.filter(user=author, source="post").count() == 1
    assert PointsEntry.objects.filter(user=author, reason="post").count() == 1
    assert Topic.objects.get(name="川菜").post_count == 1


def test_exif_is_stripped_and_orientation_applied(author, media):
    source = Image.new("RGB", (40, 20), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° on display
    exif[0x010F] = "SpyCam"
    out = io.BytesIO()
    source.save(out, format="JPEG", exif=exif.tobytes())

    response = _post(client_for(author), images=[upload(out.getvalue(), "r.jpg", "image/jpeg")])

    assert response.status_code == 201
    image = PostImage.objects.get()
    assert (image.width, image.height) == (20, 40)
    with Image.open(media / image.image.name) as stored:
        assert not stored.getexif()


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")
    return out.getvalue()


def _truncated() -> bytes:
    return image_bytes("PNG", size=(300, 300))[:-200]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (_bomb(), "bomb.png", "image_too_large"),
        (_truncated(), "cut.png", "invalid_image"),
        (b"MZ\x90\x00 this is an executable, not a photo" * 20, "virus.jpg", "invalid_image"),
        (b"GIF89a" + b"\x00" * 100, "anim.gif", "invalid_image"),
        (b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024 + 10), "huge.jpg", "image_too_large"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(author, media, data, name, code):
    good = upload(image_bytes())

    response = _post(client_for(author), images=[good, upload(data, name, "image/jpeg")])

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert Post.objects.count() == 0
    assert PostImage.objects.count() == 0
    assert stored_files(media) == []
    assert GrowthEntry.objects.count() == 0


def test_ten_images_are_refused(author, media):
    response = _post(client_for(author), images=[upload() for _ in range(10)])

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_images"
    assert Post.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": ""}, "validation_error"),
        ({"topics": ["no spaces allowed"]}, "invalid_topic"),
        ({"topics": [f"t{i}" for i in range(11)]}, "too_many_topics"),
        ({"products": [999999]}, "product_unavailable"),
        ({"community": 999999}, "not_community_member"),
        ({"body_format": "markdown"}, "validation_error"),
    ],
)
def test_bad_post_input_is_refused_with_a_code(author, media, fields, code):
    response = _post(client_for(author), **fields)

    assert response.status_code in (400, 403)
    assert response.json()["code"] == code
    assert Post.objects.count() == 0


def test_a_draft_product_cannot_be_linked(author, staff, media):
    from groupbuy.services import product_create

    hidden = product_create(actor=staff, title="Secret", price=1, stock=1, status="draft")

    response = _post(client_for(author), products=[hidden.pk])

    assert response.status_code == 400
    assert response.json() == {
        "code": "product_unavailable",
        "detail": "One of the linked products is not on sale.",
        "fields": {"products": [hidden.pk]},
    }


def test_posting_in_a_community_needs_membership(author, reader, media):
    from community.services.communities import community_create, community_join

    club = community_create(actor=reader, name="Spice club", description="")

    refused = _post(client_for(author), community=club.pk)
    community_join(actor=author, community=club)
    accepted = _post(client_for(author), community=club.pk)

    assert refused.status_code == 403
    assert refused.json()["code"] == "not_community_member"
    assert accepted.status_code == 201
    assert accepted.json()["community"] == {"id": club.pk, "name": "Spice club"}


def test_script_in_text_is_escaped_and_html_is_cleaned(author, reader, media):
    client = client_for(author)
    text = _post(
        client, title="<script>alert(1)</script>", body="<script>alert(2)</script> https://x.cn"
    )
    html = _post(
        client,
        title="html",
        body_format="html",
        body='<p onclick="evil()">hi<script>alert(3)</script><a href="javascript:alert(4)">x</a></p>',
    )

    assert text.status_code == html.status_code == 201
    assert text.json()["body_html"].startswith("<p>&lt;script&gt;alert(2)&lt;/script&gt; <a href")
    cleaned = html.json()["body_html"]
    assert "script" not in cleaned and "onclick" not in cleaned and "javascript" not in cleaned
    page = client_for(reader).get(f"/posts/{text.json()['id']}/")
    content = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    home = client_for(reader).get(f"/topics/{'none'}/")
    assert "<script>alert(" not in home.content.decode()


def test_growth_for_posts_stops_at_the_daily_cap(author, media):
    for i in range(4):
        make_post(author, title=f"note {i}")

    assert GrowthEntry.objects.filter(user=author, source="post").count() == 3
    assert PointsEntry.objects.filter(user=author, reason="post").count() == 3


# --- read / edit / delete permission matrix -------------------------------------------------------


def test_drafts_are_seen_only_by_their_author_and_staff(author, reader, staff, media):
    draft = make_post(author, title="Secret draft", publish=False)

    assert draft.status == PostStatus.DRAFT
    anonymous = client_for(None).get(f"/api/v1/posts/{draft.pk}/")
    other = client_for(reader).get(f"/api/v1/posts/{draft.pk}/")
    own = client_for(author).get(f"/api/v1/posts/{draft.pk}/")
    by_staff = client_for(staff).get(f"/api/v1/posts/{draft.pk}/")
    assert (anonymous.status_code, anonymous.json()["code"]) == (404, "post_not_found")
    assert (other.status_code, other.json()["code"]) == (404, "post_not_found")
    assert own.status_code == by_staff.status_code == 200
    assert GrowthEntry.objects.filter(user=author).count() == 0


def test_publishing_a_draft_pays_growth_once(author, media):
    draft = make_post(author, publish=False)
    client = client_for(author)

    first = client.patch(f"/api/v1/posts/{draft.pk}/", {"publish": True}, format="json")
    again = client.patch(f"/api/v1/posts/{draft.pk}/", {"publish": True}, format="json")

    assert first.json()["status"] == again.json()["status"] == "published"
    assert GrowthEntry.objects.filter(user=author, source="post").count() == 1


def test_edit_matrix(author, reader, staff, media):
    post = make_post(author, body="old #tea")
    url = f"/api/v1/posts/{post.pk}/"
    change = {"title": "New title", "body": "new #coffee"}

    anonymous = client_for(None).patch(url, change, format="json")
    other = client_for(reader).patch(url, change, format="json")
    by_staff = client_for(staff).patch(url, change, format="json")
    post.refresh_from_db()
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    assert (other.status_code, other.json()["code"]) == (403, "permission_denied")
    assert (by_staff.status_code, by_staff.json()["code"]) == (403, "permission_denied")
    assert post.title == "Mapo tofu at home"

    own = client_for(author).patch(url, change, format="json")

    assert own.status_code == 200
    assert own.json()["title"] == "New title"
    assert own.json()["topics"] == ["coffee"]
    assert Topic.objects.get(name="tea").post_count == 0
    assert Topic.objects.get(name="coffee").post_count == 1


def test_hidden_posts_cannot_be_edited_by_the_author(author, staff, media):
    from feeds.services.posts import post_moderate

    post = make_post(author)
    post_moderate(actor=staff, post=post, status=PostStatus.HIDDEN)

    response = client_for(author).patch(f"/api/v1/posts/{post.pk}/", {"title": "x"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "post_not_editable")
    assert client_for(UserFactory()).get(f"/api/v1/posts/{post.pk}/").status_code == 404


def test_delete_matrix(author, reader, staff, media):
    post = _post(client_for(author), images=[upload()]).json()
    url = f"/api/v1/posts/{post['id']}/"

    anonymous = client_for(None).delete(url)
    other = client_for(reader).delete(url)
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    assert (other.status_code, other.json()["code"]) == (403, "permission_denied")
    assert Post.objects.filter(pk=post["id"]).exists()
    assert len(stored_files(media)) == 1


def test_the_author_deletes_the_post_and_its_files(
    author, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = _post(client_for(author), images=[upload()]).json()
    assert len(stored_files(media)) == 3  # the photo and two thumbnails

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(author).delete(f"/api/v1/posts/{post['id']}/")

    assert response.status_code == 204
    assert not Post.objects.filter(pk=post["id"]).exists()
    assert stored_files(media) == []


def test_staff_delete_removes_the_post_but_keeps_it_for_review(author, staff, media):
    post = make_post(author)

    response = client_for(staff).delete(f"/api/v1/posts/{post.pk}/")

    post.refresh_from_db()
    assert response.status_code == 204
    assert post.status == PostStatus.REMOVED
    assert client_for(author).get(f"/api/v1/posts/{post.pk}/").status_code == 200


def test_posts_of_an_author(author, reader, media):
    make_post(author, title="public")
    make_post(author, title="draft", publish=False)

    mine = client_for(author).get("/api/v1/posts/", {"author": "lily"}).json()["results"]
    theirs = client_for(None).get("/api/v1/posts/", {"author": "lily"}).json()["results"]
    unknown = client_for(None).get("/api/v1/posts/", {"author": "nobody"})

    assert [p["title"] for p in mine] == ["draft", "public"]
    assert [p["title"] for p in theirs] == ["public"]
    assert unknown.status_code == 404


def test_creating_a_post_needs_an_account(media):
    response = _post(client_for(None))

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    assert Post.objects.count() == 0
