"""Authors add photos to a post later and take them off; nobody else can."""

import pytest

from feeds.models import PostImage
from feeds.services.posts import PostInput, post_create
from tests.factories import UserFactory
from tests.feeds.conftest import client_for, image_bytes, stored_files, upload

pytestmark = pytest.mark.django_db


def make_post(author, title, uploads):
    return post_create(actor=author, data=PostInput(title=title), uploads=uploads)


def _add(user, post, data=None, name="photo.png"):
    return client_for(user).post(
        f"/api/v1/posts/{post.pk}/images/", {"image": upload(data, name)}, format="multipart"
    )


def test_the_author_adds_a_photo_into_the_first_free_slot_and_removes_one(
    author, media, django_capture_on_commit_callbacks
):
    post = make_post(author, title="Hotpot night", uploads=[upload(), upload()])
    first = PostImage.objects.get(post=post, sort=0)

    with django_capture_on_commit_callbacks(execute=True):
        removed = client_for(author).delete(f"/api/v1/posts/{post.pk}/images/{first.pk}/")
    added = _add(author, post)

    assert removed.status_code == 204
    assert added.status_code == 201
    assert len(added.json()["images"]) == 2
    assert sorted(PostImage.objects.filter(post=post).values_list("sort", flat=True)) == [0, 1]
    assert len(stored_files(media)) == 2  # the removed photo's file went with it


def test_a_tenth_photo_and_a_bad_file_are_refused_and_nothing_is_stored(author, media):
    post = make_post(author, title="Nine", uploads=[upload() for _ in range(9)])
    before = stored_files(media)

    tenth = _add(author, post)
    make_post(author, title="One", uploads=[upload()])
    not_an_image = _add(author, post, b"GIF89a nope")

    assert (tenth.status_code, tenth.json()["code"]) == (400, "too_many_images")
    assert not_an_image.status_code == 400
    assert PostImage.objects.filter(post=post).count() == 9
    assert len(stored_files(media)) == len(before) + 1  # only the "One" post's photo


@pytest.mark.parametrize("who, status", [("anonymous", 401), ("stranger", 403)])
def test_only_the_author_changes_a_posts_photos(author, media, who, status):
    post = make_post(author, title="Mine", uploads=[upload()])
    image = PostImage.objects.get(post=post)
    actor = None if who == "anonymous" else UserFactory()

    added = _add(actor, post)
    removed = client_for(actor).delete(f"/api/v1/posts/{post.pk}/images/{image.pk}/")

    assert (added.status_code, removed.status_code) == (status, status)
    assert PostImage.objects.filter(post=post).count() == 1


def test_removing_an_image_of_another_post_is_not_found(author, media):
    mine = make_post(author, title="Mine", uploads=[upload()])
    other = make_post(author, title="Other", uploads=[upload(image_bytes(colour="blue"))])
    foreign = PostImage.objects.get(post=other)

    response = client_for(author).delete(f"/api/v1/posts/{mine.pk}/images/{foreign.pk}/")

    assert (response.status_code, response.json()["code"]) == (404, "image_not_found")
    assert PostImage.objects.filter(post=other).exists()
