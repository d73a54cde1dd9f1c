import pytest
from django.core.management import call_command

from community.demo.experiments import SHOPPERS
from community.models import Appeal, ModerationItem, PointsEntry, RoleGrant, User, WatchedWord

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_creates_every_role(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("seed_demo", "--quiet")
    first = User.objects.count()
    call_command("seed_demo", "--quiet")

    # The eight demo accounts, the moderation demo's three reported profiles and the experiments
    # demo's shoppers (community/demo/experiments.py).
    assert User.objects.count() == first == 8 + 3 + SHOPPERS
    roles = set(RoleGrant.objects.values_list("role", flat=True))
    assert roles == {"staff", "moderator", "support_agent", "creator", "community_leader"}
    alice = User.objects.get(username="alice")
    assert alice.check_password(settings.DEMO_PASSWORD)
    assert alice.avatar and (tmp_path / alice.avatar.name).exists()
    assert User.objects.get(username="admin").is_superuser


def test_seed_demo_adds_volume_members(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("seed_demo", "--quiet", "--users", "250", "--batch", "100")
    call_command("seed_demo", "--quiet", "--users", "10")

    assert User.objects.filter(username__startswith="member").count() == 260


def test_seed_demo_builds_loyalty_history_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("seed_demo", "--quiet")
    entries = PointsEntry.objects.count()
    call_command("seed_demo", "--quiet")

    assert PointsEntry.objects.count() == entries > 0
    carol = User.objects.get(username="carol")
    assert carol.tier == "gold"
    assert carol.checkins.count() == 9
    assert carol.notifications.filter(type="tier_changed").exists()
    assert User.objects.get(username="alice").invite_code


def test_seed_demo_gives_the_moderators_a_queue_in_every_state(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")

    states = set(ModerationItem.objects.values_list("status", flat=True))
    assert states == {"pending", "claimed", "resolved"}
    assert ModerationItem.objects.filter(status="pending", hidden=True).exists()
    assert Appeal.objects.filter(granted__isnull=True, item__status="pending").count() == 1
    assert set(WatchedWord.objects.values_list("action", flat=True)) == {
        "block",
        "censor",
        "require_approval",
        "flag",
    }
