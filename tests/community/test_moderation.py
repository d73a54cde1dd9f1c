"""Moderation core: reports and weights, hiding at the threshold, the queue, claims and decisions,
strikes and sanctions, appeals, watched words and the public log. Content here is a member's
profile (target type ``user``); each app's own types are tested beside the app."""

import itertools
import threading

import pytest
from django.db import IntegrityError, connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from community.exceptions import BlockedWordError, SanctionedError
from community.models import (
    Decision,
    ItemStatus,
    MemberTrust,
    ModerationItem,
    Notification,
    Report,
    Role,
    Sanction,
    Strike,
    User,
)
from community.services import role_grant
from community.services.moderation.decisions import item_decide
from community.services.moderation.reports import (
    WEIGHT_MAX,
    WEIGHT_MIN,
    report_create,
    reporter_weight,
)
from community.services.moderation.sanctions import ensure_can_publish, ensure_not_suspended
from community.services.moderation.words import normalize, text_screen, watched_word_add
from tests.backends import needs_postgres
from tests.factories import UserFactory, token_for

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def _report(reporter, target, category="spam", note=""):
    return _client(reporter).post(
        "/api/v1/reports/",
        {"target_type": "user", "target_id": target.pk, "category": category, "note": note},
        format="json",
    )


def _profile_name(viewer, member) -> str:
    return _client(viewer).get(f"/api/v1/users/{member.username}/").json()["display_name"]


def _item_of(member) -> ModerationItem:
    return ModerationItem.objects.get(target_type="user", target_id=member.pk)


def _decide(moderator, item, action, reason="Breaks the rules", **extra):
    item.refresh_from_db()
    return _client(moderator).post(
        f"/api/v1/moderation/items/{item.pk}/decide/",
        {"action": action, "reason": reason, "version": item.version, **extra},
        format="json",
    )


@pytest.fixture
def author():
    return UserFactory(username="loud", display_name="买买买 加微信", bio="cheap watches")


@pytest.fixture
def staff_member():
    person = UserFactory(username="staffer")
    role_grant(actor=None, user=person, role=Role.STAFF)
    return person


# --- reporter weights ------------------------------------------------------------------------


def test_a_reporter_without_history_weighs_one_and_the_weight_moves_smoothly_within_bounds():
    assert reporter_weight(agreed=0, disagreed=0) == 1.0
    assert reporter_weight(agreed=0, disagreed=0, staff=True) == 5.0
    good = [reporter_weight(agreed=n, disagreed=0) for n in range(0, 200)]
    bad = [reporter_weight(agreed=0, disagreed=n) for n in range(0, 200)]

    assert good == sorted(good) and bad == sorted(bad, reverse=True)
    assert min(bad) >= WEIGHT_MIN and max(good) <= WEIGHT_MAX
    assert good[-1] > 2.5 and bad[-1] == WEIGHT_MIN
    # No cliff: one more decided report never moves the weight by more than 0.35.
    assert max(abs(a - b) for a, b in itertools.pairwise(good)) < 0.35
    assert max(abs(a - b) for a, b in itertools.pairwise(bad)) < 0.35


# --- reports and the threshold ----------------------------------------------------------------


def test_one_report_queues_the_profile_but_does_not_hide_it(author):
    reporter, onlooker = UserFactory(), UserFactory()

    response = _report(reporter, author, note="spam in bio")

    assert response.status_code == 201
    assert response.json() == {"id": Report.objects.get().pk, "status": "open"}
    item = _item_of(author)
    assert (item.score, item.reports_count, item.hidden, item.categories) == (
        1.0,
        1,
        False,
        ["spam"],
    )
    assert _profile_name(onlooker, author) == "买买买 加微信"


def test_reports_reaching_the_threshold_from_two_reporters_hide_it_from_all_but_author_and_moderators(
    author, moderator
):
    reporters = [UserFactory() for _ in range(3)]
    for reporter in reporters:
        assert _report(reporter, author).status_code == 201
    onlooker = UserFactory()

    assert _item_of(author).hidden is True
    assert _profile_name(onlooker, author) == ""
    assert _client().get(f"/api/v1/users/{author.username}/").json()["bio"] == ""
    assert _profile_name(author, author) == "买买买 加微信"
    assert _profile_name(moderator, author) == "买买买 加微信"


def test_one_heavy_reporter_alone_never_hides_but_one_staff_report_does(author, staff_member):
    trusted = UserFactory()
    MemberTrust.objects.create(user=trusted, reports_agreed=400)  # weight near the 3.0 cap
    _report(trusted, author)
    item = _item_of(author)
    assert item.score >= 2.9 and item.hidden is False  # one reporter is never enough

    _report(staff_member, author)

    assert _item_of(author).hidden is True


def test_the_threshold_never_goes_below_its_floor(author, settings):
    settings.MODERATION_HIDE_THRESHOLD = 0.1
    first, second = UserFactory(), UserFactory()
    MemberTrust.objects.create(user=first, reports_disagreed=500)
    MemberTrust.objects.create(user=second, reports_disagreed=500)

    _report(first, author)
    _report(second, author)

    item = _item_of(author)
    assert item.score == pytest.approx(0.4)  # two reporters at the 0.2 floor weight
    assert item.hidden is False  # 0.4 < the 1.0 floor, whatever the setting says


def test_reporting_twice_bad_targets_and_own_content_are_refused_and_change_nothing(author):
    reporter = UserFactory()
    _report(reporter, author)

    again = _report(reporter, author)
    unknown_type = _client(reporter).post(
        "/api/v1/reports/",
        {"target_type": "planet", "target_id": 1, "category": "spam"},
        format="json",
    )
    unknown_id = _client(reporter).post(
        "/api/v1/reports/",
        {"target_type": "user", "target_id": 99999999, "category": "spam"},
        format="json",
    )
    own = _report(author, author)
    bad_category = _report(UserFactory(), author, category="boring")

    assert (again.status_code, again.json()["code"]) == (409, "already_reported")
    assert (unknown_type.status_code, unknown_type.json()["code"]) == (400, "bad_target")
    assert (unknown_id.status_code, unknown_id.json()["code"]) == (400, "bad_target")
    assert (own.status_code, own.json()["code"]) == (400, "bad_target")
    assert (bad_category.status_code, bad_category.json()["code"]) == (400, "validation_error")
    assert Report.objects.count() == 1
    assert _item_of(author).reports_count == 1


def test_reporting_needs_an_account():
    target = UserFactory()
    response = _client().post(
        "/api/v1/reports/",
        {"target_type": "user", "target_id": target.pk, "category": "spam"},
        format="json",
    )

    assert response.status_code == 401
    assert not Report.objects.exists()


# --- the queue --------------------------------------------------------------------------------


def test_the_queue_is_for_moderators_sorted_by_score_then_age_with_previews(author, moderator):
    quiet, loud = UserFactory(display_name="quiet one"), author
    _report(UserFactory(), quiet)
    for _ in range(2):
        _report(UserFactory(), loud)

    member_view = _client(UserFactory()).get("/api/v1/moderation/queue/")
    anonymous = _client().get("/api/v1/moderation/queue/")
    page = _client(moderator).get("/api/v1/moderation/queue/").json()

    assert (member_view.status_code, member_view.json()["code"]) == (403, "forbidden")
    assert anonymous.status_code == 401
    assert [row["target_id"] for row in page["results"]] == [loud.pk, quiet.pk]
    first = page["results"][0]
    assert first["status"] == "pending" and first["score"] == 2.0 and first["reports_count"] == 2
    assert "cheap watches" in first["preview"]["text"]
    assert set(first) >= {
        "id",
        "target_type",
        "target_id",
        "status",
        "score",
        "reports_count",
        "categories",
        "hidden",
        "version",
        "claimed_by",
        "preview",
        "created_at",
    }
    assert page["next"] is None and page["previous"] is None


def test_the_queue_filters_by_type_category_and_status(author, moderator):
    _report(UserFactory(), author, category="scam")
    client = _client(moderator)

    assert len(client.get("/api/v1/moderation/queue/?category=scam").json()["results"]) == 1
    assert client.get("/api/v1/moderation/queue/?category=spam").json()["results"] == []
    assert client.get("/api/v1/moderation/queue/?type=post").json()["results"] == []
    assert client.get("/api/v1/moderation/queue/?status=resolved").json()["results"] == []


def test_a_queue_page_costs_the_same_queries_for_few_and_many_items(moderator):
    client = _client(moderator)
    members = [UserFactory() for _ in range(30)]
    _report(UserFactory(), members[0])
    with CaptureQueriesContext(connections["default"]) as few:
        assert client.get("/api/v1/moderation/queue/").status_code == 200
    for member in members[1:]:
        _report(UserFactory(), member)
    with CaptureQueriesContext(connections["default"]) as many:
        page = client.get("/api/v1/moderation/queue/").json()

    assert len(page["results"]) == 20
    assert len(many.captured_queries) == len(few.captured_queries)


# --- claims and decisions ---------------------------------------------------------------------


def test_a_claimed_item_refuses_other_moderators(author, moderator, staff_member):
    _report(UserFactory(), author)
    item = _item_of(author)

    claimed = _client(moderator).post(f"/api/v1/moderation/items/{item.pk}/claim/")
    other_claim = _client(staff_member).post(f"/api/v1/moderation/items/{item.pk}/claim/")
    other_decide = _decide(staff_member, item, "approve")

    assert claimed.status_code == 200
    assert (claimed.json()["status"], claimed.json()["claimed_by"]) == (
        "claimed",
        moderator.username,
    )
    assert (other_claim.status_code, other_claim.json()["code"]) == (409, "already_claimed")
    assert (other_decide.status_code, other_decide.json()["code"]) == (409, "already_claimed")
    assert _item_of(author).status == ItemStatus.CLAIMED


def test_a_decision_on_an_old_version_is_stale_and_needs_a_reason(author, moderator):
    _report(UserFactory(), author)
    item = _item_of(author)
    seen = item.version
    _report(UserFactory(), author)  # the item changed after the moderator looked

    stale = _client(moderator).post(
        f"/api/v1/moderation/items/{item.pk}/decide/",
        {"action": "remove", "reason": "spam", "version": seen},
        format="json",
    )
    no_reason = _decide(moderator, item, "remove", reason="")

    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")
    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "reason_required")
    assert not Decision.objects.exists()


def test_remove_keeps_it_hidden_strikes_the_author_and_tells_author_and_reporters(
    author, moderator
):
    reporters = [UserFactory(), UserFactory()]
    for reporter in reporters:
        _report(reporter, author)

    response = _decide(moderator, _item_of(author), "remove", reason="Spam in the profile")

    assert response.status_code == 200 and response.json()["status"] == "resolved"
    assert _profile_name(UserFactory(), author) == ""
    decision = Decision.objects.get()
    assert Strike.objects.filter(user=author, decision=decision).exists()
    told = Notification.objects.filter(type="moderation_outcome")
    assert sorted(told.values_list("user_id", flat=True)) == sorted(
        [author.pk, *[r.pk for r in reporters]]
    )
    to_author = told.get(user=author)
    assert to_author.data["decision_id"] == decision.pk
    assert to_author.data["action"] == "remove"
    assert to_author.data["reason"] == "Spam in the profile"
    assert (to_author.data["target_type"], to_author.data["target_id"]) == ("user", author.pk)
    assert set(Report.objects.values_list("status", flat=True)) == {"agreed"}
    assert MemberTrust.objects.get(user=reporters[0]).reports_agreed == 1


def test_approve_restores_hidden_content_and_lowers_the_reporters_accuracy(author, moderator):
    reporters = [UserFactory() for _ in range(3)]
    for reporter in reporters:
        _report(reporter, author)
    assert _profile_name(UserFactory(), author) == ""

    assert _decide(moderator, _item_of(author), "approve", reason="").status_code == 200

    assert _profile_name(UserFactory(), author) == "买买买 加微信"
    assert not Strike.objects.exists()
    assert MemberTrust.objects.get(user=reporters[0]).reports_disagreed == 1
    assert reporter_weight(agreed=0, disagreed=1) < 1.0


def test_warn_keeps_the_content_and_adds_no_strike(author, moderator):
    _report(UserFactory(), author)

    _decide(moderator, _item_of(author), "warn", reason="Mind the tone")

    assert not Strike.objects.exists()
    assert Notification.objects.filter(user=author, type="moderation_outcome").exists()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_moderators_deciding_at_once_make_one_decision(author, moderator, staff_member):
    _report(UserFactory(), author)
    item = _item_of(author)
    results = _race_decisions(item, [moderator, staff_member], decide=item_decide)

    assert sorted(results) == ["ok", "stale_version"]
    assert Decision.objects.count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_naive_control_double_decides_without_the_lock_and_version(author, moderator):
    _report(UserFactory(), author)
    item = _item_of(author)

    def naive_decide(*, moderator, item_id, action, reason, version):
        # Check-then-act: read the status, then write, with nothing held in between.
        current = ModerationItem.objects.get(pk=item_id)
        if current.status == ItemStatus.RESOLVED:
            raise RuntimeError("stale_version")
        barrier.wait(timeout=5)
        Decision.objects.create(
            item=current,
            moderator=moderator,
            action=action,
            reason=reason,
            target_type="user",
            target_id=current.target_id,
        )
        ModerationItem.objects.filter(pk=item_id).update(status=ItemStatus.RESOLVED)

    barrier = threading.Barrier(2)
    other = UserFactory()
    role_grant(actor=None, user=other, role=Role.MODERATOR)
    _race_decisions(item, [moderator, other], decide=naive_decide)

    assert Decision.objects.count() == 2  # the bug the real decide prevents


def _race_decisions(item, moderators, *, decide) -> list[str]:
    results: list[str] = []

    def run(moderator):
        try:
            decide(
                moderator=moderator,
                item_id=item.pk,
                action="remove",
                reason="spam",
                version=item.version,
            )
            results.append("ok")
        except Exception as exc:  # noqa: BLE001 - the race's loser reports its code
            results.append(getattr(exc, "code", str(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return results


# --- sanctions --------------------------------------------------------------------------------


def test_a_muted_member_cannot_change_their_profile_text_until_the_mute_ends(author, moderator):
    _report(UserFactory(), author)
    _decide(moderator, _item_of(author), "mute", reason="Spam", duration_hours=24)

    response = _client(author).patch("/api/v1/me/", {"bio": "still selling"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "sanctioned"
    assert "until" in response.json()["detail"]
    author.refresh_from_db()
    assert author.bio == "cheap watches"
    sanction = Sanction.objects.get(user=author)
    assert (sanction.kind, round((sanction.ends_at - sanction.starts_at).total_seconds())) == (
        "mute",
        24 * 3600,
    )


def test_a_suspended_member_may_read_and_appeal_but_not_write(author, moderator):
    _report(UserFactory(), author)
    _decide(moderator, _item_of(author), "suspend", reason="Repeated spam")
    client = _client(author)

    checkin = client.post("/api/v1/checkins/")
    read = client.get("/api/v1/me/")
    appeal = client.post(
        "/api/v1/appeals/",
        {"decision": Decision.objects.get().pk, "body": "I sold real watches"},
        format="json",
    )

    assert (checkin.status_code, checkin.json()["code"]) == (403, "sanctioned")
    assert read.status_code == 200
    assert appeal.status_code == 201


def test_a_banned_member_is_signed_out_everywhere_and_an_approved_appeal_lets_them_back(
    author, moderator
):
    _report(UserFactory(), author)
    token = token_for(author)
    _decide(moderator, _item_of(author), "ban", reason="Scam")

    refused = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/me/")
    assert refused.status_code == 401
    assert User.objects.get(pk=author.pk).is_active is False

    appeal_decision = Decision.objects.get()
    author_client = APIClient()
    author_client.force_authenticate(author)  # the appeal form reaches a banned member by email
    assert (
        author_client.post(
            "/api/v1/appeals/", {"decision": appeal_decision.pk, "body": "Hacked"}, format="json"
        ).status_code
        == 201
    )
    appeal_item = ModerationItem.objects.get(target_type="appeal")
    assert (
        _decide(moderator, appeal_item, "approve", reason="Account was hacked").status_code == 200
    )

    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/me/").status_code == 200
    assert Strike.objects.get(user=author).voided_at is not None
    assert Sanction.objects.get(user=author).lifted_at is not None
    appeal_decision.refresh_from_db()
    assert appeal_decision.reversed_at is not None


# --- appeals ----------------------------------------------------------------------------------


def test_an_author_appeals_once_and_only_their_own_decisions(author, moderator):
    for _ in range(2):
        _report(UserFactory(), author)
    _decide(moderator, _item_of(author), "remove", reason="Spam")
    decision = Decision.objects.get()

    mine = _client(author).get("/api/v1/me/moderation/").json()["results"]
    stranger = _client(UserFactory()).post(
        "/api/v1/appeals/", {"decision": decision.pk, "body": "unfair"}, format="json"
    )
    first = _client(author).post(
        "/api/v1/appeals/", {"decision": decision.pk, "body": "It was a joke"}, format="json"
    )
    second = _client(author).post(
        "/api/v1/appeals/", {"decision": decision.pk, "body": "Please"}, format="json"
    )

    assert [(row["id"], row["action"], row["appealable"]) for row in mine] == [
        (decision.pk, "remove", True)
    ]
    assert (stranger.status_code, stranger.json()["code"]) == (403, "forbidden")
    assert first.status_code == 201
    assert (second.status_code, second.json()["code"]) == (409, "already_appealed")
    assert ModerationItem.objects.filter(target_type="appeal").count() == 1
    after = _client(author).get("/api/v1/me/moderation/").json()["results"][0]
    assert after["appealable"] is False and after["appeal"]["status"] == "pending"


def test_a_granted_appeal_restores_removed_content_and_a_denied_one_does_not(author, moderator):
    for _ in range(2):
        _report(UserFactory(), author)
    _decide(moderator, _item_of(author), "remove", reason="Spam")
    _client(author).post(
        "/api/v1/appeals/",
        {"decision": Decision.objects.get().pk, "body": "That is my shop"},
        format="json",
    )
    appeal_item = ModerationItem.objects.get(target_type="appeal")
    assert _client(moderator).get("/api/v1/moderation/queue/?type=appeal").json()["results"]

    _decide(moderator, appeal_item, "approve", reason="Legitimate shop")

    assert _profile_name(UserFactory(), author) == "买买买 加微信"
    outcome = Notification.objects.filter(user=author, type="moderation_outcome").latest("seq")
    assert outcome.data["granted"] is True


# --- watched words ----------------------------------------------------------------------------


def test_watched_words_match_through_full_width_case_spacing_and_chinese(staff_member):
    watched_word_add(actor=staff_member, word="free", action="block")
    watched_word_add(actor=staff_member, word="加微信", action="censor")
    watched_word_add(actor=staff_member, word="代购", action="require_approval")

    for text in ["FREE stuff", "ｆｒｅｅ", "f r e e", "f.r.e.e!"]:
        with pytest.raises(BlockedWordError):
            text_screen(text)
    censored = text_screen("快 加 微 信 哦")
    assert censored.text == "快 * * * 哦"
    assert text_screen("海外代购正品").needs_review == "require_approval"
    assert normalize("Ｆｒｅｅ 加-微") == ("free加微", [0, 1, 2, 3, 5, 7])


def test_a_blocked_word_is_refused_on_the_profile_and_nothing_is_stored(staff_member):
    watched_word_add(actor=staff_member, word="加微信", action="block")
    member = UserFactory(bio="hello")

    response = _client(member).patch("/api/v1/me/", {"bio": "便宜 加 微 信"}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "blocked_word")
    member.refresh_from_db()
    assert member.bio == "hello"


def test_moderators_list_add_and_remove_watched_words(moderator):
    client = _client(moderator)

    added = client.post(
        "/api/v1/moderation/watched-words/", {"word": "ＳＰＡＭ", "action": "flag"}, format="json"
    )
    duplicate = client.post(
        "/api/v1/moderation/watched-words/", {"word": "spam", "action": "flag"}, format="json"
    )
    listed = client.get("/api/v1/moderation/watched-words/").json()["results"]
    removed = client.delete(f"/api/v1/moderation/watched-words/{added.json()['id']}/")

    assert added.status_code == 201
    assert (duplicate.status_code, duplicate.json()["code"]) == (400, "invalid_watched_word")
    assert [(w["word"], w["action"]) for w in listed] == [("ＳＰＡＭ", "flag")]
    assert removed.status_code == 204
    assert text_screen("spam").needs_review is None


# --- the public log ---------------------------------------------------------------------------


def test_the_public_log_shows_decisions_without_anyone_s_identity(author, moderator):
    for _ in range(2):
        _report(UserFactory(), author, category="scam")
    _decide(moderator, _item_of(author), "remove", reason="Fake shop")

    page = _client().get("/api/v1/moderation/log/").json()

    assert [
        (row["action"], row["target_type"], row["category"], row["reason"])
        for row in page["results"]
    ] == [("remove", "user", "scam", "Fake shop")]
    assert set(page["results"][0]) == {"id", "action", "target_type", "category", "reason", "at"}
    text = str(page)
    assert author.username not in text and moderator.username not in text


# --- concurrency: two reports of one target make one item ---------------------------------------


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_of_one_target_make_one_item(author):
    reporters = [UserFactory() for _ in range(6)]
    barrier = threading.Barrier(len(reporters))
    errors: list[Exception] = []

    def run(reporter):
        try:
            barrier.wait(timeout=5)
            report_create(
                reporter=reporter, target_type="user", target_id=author.pk, category="spam"
            )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(r,)) for r in reporters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert errors == []
    item = ModerationItem.objects.get(target_type="user", target_id=author.pk)
    assert (item.reports_count, item.score) == (6, 6.0)
    assert Report.objects.filter(item=item).count() == 6


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_naive_control_races_into_two_items_and_only_the_constraint_stops_it(author):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def naive_open():
        # Check-then-insert with no lock: both threads see "no open item".
        try:
            exists = ModerationItem.objects.filter(target_type="user", target_id=author.pk).exists()
            barrier.wait(timeout=5)
            if not exists:
                with transaction.atomic():
                    ModerationItem.objects.create(
                        target_type="user", target_id=author.pk, source="reports"
                    )
            outcomes.append("created")
        except IntegrityError:
            outcomes.append("refused by the constraint")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=naive_open) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert sorted(outcomes) == ["created", "refused by the constraint"]


def test_a_mute_reaches_a_session_that_loaded_the_member_before_it(author, moderator):
    # An open socket keeps the user row it loaded at connect time.
    loaded_before = User.objects.get(pk=author.pk)
    assert loaded_before.has_sanctions is False
    _report(UserFactory(), author)

    _decide(moderator, _item_of(author), "mute", reason="Spam")

    with pytest.raises(SanctionedError):
        ensure_can_publish(loaded_before)


def test_members_without_sanctions_pass_the_check_without_a_query(author):
    with CaptureQueriesContext(connections["default"]) as queries:
        ensure_can_publish(author)
        ensure_not_suspended(author)

    assert queries.captured_queries == []
