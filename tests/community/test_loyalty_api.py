import pytest
from rest_framework.test import APIClient

from community.models import Notification, PointsEntry, User
from community.services import notification_send, points_award, role_grant
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MEMBER_ENDPOINTS = [
    ("get", "/api/v1/checkins/"),
    ("post", "/api/v1/checkins/"),
    ("get", "/api/v1/points/"),
    ("get", "/api/v1/points/ledger/"),
    ("get", "/api/v1/points/leaderboard/"),
    ("get", "/api/v1/tasks/"),
    ("get", "/api/v1/me/invite/"),
    ("get", "/api/v1/notifications/"),
    ("get", "/api/v1/notifications/unread-count/"),
    ("post", "/api/v1/notifications/read/"),
    ("get", "/api/v1/notifications/preferences/"),
    ("put", "/api/v1/notifications/preferences/"),
    ("post", "/api/v1/points/adjustments/"),
]


@pytest.mark.parametrize(("method", "path"), MEMBER_ENDPOINTS)
def test_anonymous_is_refused_everywhere(api_client, method, path):
    response = getattr(api_client, method)(path, {})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_checkin_api_awards_then_refuses_the_second(auth_client, user):
    first = auth_client.post("/api/v1/checkins/")
    second = auth_client.post("/api/v1/checkins/")

    assert first.status_code == 201
    assert first.json()["points_awarded"] == 10
    assert first.json()["streak"] == 1
    assert second.status_code == 409
    assert second.json()["code"] == "already_checked_in"
    status = auth_client.get("/api/v1/checkins/").json()
    assert status["checked_in_today"] is True
    assert status["next_reward"] == 15
    assert len(status["week"]) == 7 and status["week"][-1]["checked_in"] is True


def test_ledger_shows_only_my_entries_newest_first(auth_client, user, other_user):
    points_award(user_id=user.pk, amount=10, reason="task", idempotency_key="a")
    points_award(user_id=user.pk, amount=20, reason="checkin", idempotency_key="b")
    points_award(user_id=other_user.pk, amount=99, reason="task", idempotency_key="c")

    body = auth_client.get("/api/v1/points/ledger/").json()

    assert [row["delta"] for row in body["results"]] == [20, 10]
    assert body["results"][0]["balance_after"] == 30
    assert set(body) == {"next", "previous", "results"}


def test_ledger_query_count_is_constant(auth_client, user, django_assert_max_num_queries):
    for n in range(30):
        points_award(user_id=user.pk, amount=1, reason="task", idempotency_key=f"k{n}")

    with django_assert_max_num_queries(4):
        auth_client.get("/api/v1/points/ledger/")


def test_points_summary(auth_client, user):
    points_award(user_id=user.pk, amount=250, reason="task", idempotency_key="a")

    body = auth_client.get("/api/v1/points/").json()

    assert body["balance"] == 250
    assert body["next_expiry"]["points"] == 250


def test_leaderboard_ranks_week_earners_and_validates_period(auth_client, user, other_user):
    points_award(user_id=user.pk, amount=10, reason="checkin", idempotency_key="a")
    points_award(user_id=other_user.pk, amount=50, reason="task", idempotency_key="b")
    points_award(
        user_id=other_user.pk, amount=500, reason="admin", idempotency_key="c"
    )  # not earned

    board = auth_client.get("/api/v1/points/leaderboard/?period=week").json()
    bad = auth_client.get("/api/v1/points/leaderboard/?period=decade")

    assert [(row["user"]["id"], row["points"]) for row in board["results"]] == [
        (other_user.pk, 50),
        (user.pk, 10),
    ]
    assert (board["next"], board["previous"]) == (None, None)
    assert bad.status_code == 400
    assert bad.json()["code"] == "validation_error"


def test_tasks_list_shows_progress(auth_client, user):
    auth_client.post("/api/v1/checkins/")

    tasks = {t["code"]: t for t in auth_client.get("/api/v1/tasks/").json()["results"]}

    assert tasks["daily-checkin"]["completed"] is True
    assert tasks["daily-comment"] == {
        **tasks["daily-comment"],
        "count": 0,
        "completed": False,
        "target_count": 3,
    }


def test_tiers_table_is_public(api_client):
    tiers = api_client.get("/api/v1/tiers/").json()["results"]

    assert [(t["tier"], t["threshold"], t["points_multiplier"]) for t in tiers] == [
        ("regular", 0, "1.00"),
        ("silver", 1000, "1.20"),
        ("gold", 5000, "1.50"),
        ("platinum", 20000, "2.00"),
    ]


# --- staff adjustments ---------------------------------------------------------------------------


def test_only_staff_may_adjust_points(auth_client, user, other_user):
    response = auth_client.post(
        "/api/v1/points/adjustments/",
        {"username": other_user.username, "delta": 100, "note": "gift"},
    )

    assert response.status_code == 403
    assert not PointsEntry.objects.exists()


def test_staff_adjustment_is_audited_and_cannot_go_negative(api_client, other_user):
    staff = UserFactory()
    role_grant(actor=None, user=staff, role="staff")
    api_client.force_authenticate(staff)

    credit = api_client.post(
        "/api/v1/points/adjustments/",
        {"username": other_user.username, "delta": 100, "note": "goodwill"},
    )
    too_much = api_client.post(
        "/api/v1/points/adjustments/",
        {"username": other_user.username, "delta": -101, "note": "oops"},
    )
    zero = api_client.post(
        "/api/v1/points/adjustments/", {"username": other_user.username, "delta": 0, "note": "x"}
    )

    assert credit.status_code == 201
    entry = PointsEntry.objects.get()
    assert (entry.actor, entry.note, entry.reason) == (staff, "goodwill", "admin")
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "insufficient_points"
    assert zero.status_code == 400
    assert User.objects.get(pk=other_user.pk).points_balance == 100


# --- invites -------------------------------------------------------------------------------------


def test_registering_with_an_invite_code_links_and_rewards_the_inviter(
    auth_client, user, api_client
):
    code = auth_client.get("/api/v1/me/invite/").json()["code"]

    response = api_client.post(
        "/api/v1/auth/register/",
        {"username": "friend", "password": PASSWORD, "invite_code": code.lower()},
    )

    assert response.status_code == 201
    assert User.objects.get(username="friend").invited_by == user
    user.refresh_from_db()
    assert user.points_balance == 100
    assert auth_client.get("/api/v1/me/invite/").json()["invitees"] == 1


def test_unknown_invite_code_is_refused_and_creates_nobody(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {"username": "friend", "password": PASSWORD, "invite_code": "NOPE"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_invite_code"
    assert not User.objects.filter(username="friend").exists()


# --- notifications -------------------------------------------------------------------------------


def _notify(user, n: int, type_: str = "follow") -> None:
    for i in range(n):
        notification_send(user_id=user.pk, type=type_, title=f"n{i}")


def test_notifications_after_seq_ascending_and_only_mine(auth_client, user, other_user):
    _notify(user, 5)
    _notify(other_user, 3)

    body = auth_client.get("/api/v1/notifications/?after_seq=2").json()

    assert [n["seq"] for n in body["results"]] == [3, 4, 5]
    assert (body["last_seq"], body["has_more"], body["unread_count"]) == (5, False, 5)
    assert (body["next"], body["previous"]) == (None, None)


def test_notifications_page_limit_and_bad_query(auth_client, user):
    _notify(user, 5)

    page = auth_client.get("/api/v1/notifications/?after_seq=0&limit=2").json()
    bad = auth_client.get("/api/v1/notifications/?after_seq=-1")

    assert ([n["seq"] for n in page["results"]], page["has_more"]) == ([1, 2], True)
    assert bad.status_code == 400
    # The list convention's next link walks forward through the rest.
    seqs = []
    url = page["next"]
    while url:
        following = auth_client.get(url).json()
        seqs += [n["seq"] for n in following["results"]]
        url = following["next"]
    assert seqs == [3, 4, 5]


def test_mark_read_up_to_seq_changes_only_mine(auth_client, user, other_user):
    _notify(user, 4)
    _notify(other_user, 2)

    response = auth_client.post("/api/v1/notifications/read/", {"up_to_seq": 3})

    assert response.json() == {"unread_count": 1}
    assert Notification.objects.filter(user=other_user, read_at__isnull=True).count() == 2
    assert auth_client.post("/api/v1/notifications/read/", {}).status_code == 400


def test_muted_types_are_not_delivered(auth_client, user):
    response = auth_client.put(
        "/api/v1/notifications/preferences/", {"muted": {"follow": True}}, format="json"
    )
    unknown = auth_client.put(
        "/api/v1/notifications/preferences/", {"muted": {"spam": True}}, format="json"
    )
    _notify(user, 2, "follow")
    _notify(user, 1, "tier_changed")

    assert response.json()["muted"]["follow"] is True
    assert unknown.status_code == 400
    assert list(Notification.objects.filter(user=user).values_list("type", flat=True)) == [
        "tier_changed"
    ]


def test_dedupe_key_notifies_once(user):
    first = notification_send(user_id=user.pk, type="follow", title="x", dedupe_key="follow:1")
    second = notification_send(user_id=user.pk, type="follow", title="x", dedupe_key="follow:1")

    assert first.pk == second.pk
    assert Notification.objects.filter(user=user).count() == 1


def test_session_client_can_check_in_with_csrf(user):
    browser = APIClient(enforce_csrf_checks=True)
    browser.post("/api/v1/auth/login/", {"username": user.username, "password": PASSWORD})
    token = browser.cookies["csrftoken"].value

    response = browser.post("/api/v1/checkins/", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201
