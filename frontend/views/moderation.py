"""Moderation pages: the moderators' console, a member's own decisions (with appeals) and the
public log. Reads go through community's moderation selectors; every write (claims, decisions,
watched words, appeals, reports) goes through the REST API from moderation.js and report.js."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from community.selectors import moderation as selectors
from community.selectors.accounts import can_moderate_content
from community.selectors.moderatable import moderatable
from frontend.templatetags.moderation_tags import (
    CATEGORIES,
    STATUSES,
    TARGET_TYPES,
    WORD_ACTIONS,
    moderation_labels,
)

MY_DECISIONS = 50
LOG_PAGE = 20


@login_required
@ensure_csrf_cookie
def console_page(request):
    if not can_moderate_content(request.user):
        raise PermissionDenied("Only moderators and staff see the moderation queue.")
    context = {
        "types": TARGET_TYPES,
        "categories": CATEGORIES,
        "statuses": STATUSES,
        "word_actions": WORD_ACTIONS,
        "labels": moderation_labels(),
    }
    return render(request, "frontend/moderation/console.html", context)


def _previews(decisions) -> dict[tuple[str, int], dict]:
    """What each decision was about, one load per content type (hidden content included: the
    author may still see their own)."""
    wanted: dict[str, set[int]] = {}
    for decision in decisions:
        wanted.setdefault(decision.target_type, set()).add(decision.target_id)
    previews = {}
    for name, ids in wanted.items():
        entry = moderatable(name)
        if entry is None:
            continue
        for target_id, target in entry.load_many(ids).items():
            previews[(name, target_id)] = entry.preview(target)
    return previews


@login_required
@ensure_csrf_cookie
def my_moderation_page(request):
    decisions = list(selectors.decisions_about(request.user)[:MY_DECISIONS])
    previews = _previews(decisions)
    rows = []
    for decision in decisions:
        appeal = None
        if selectors.hasattr_appeal(decision):
            granted = decision.appeal.granted
            appeal = {
                "status": "pending" if granted is None else ("granted" if granted else "denied"),
                "body": decision.appeal.body,
                "created_at": decision.appeal.created_at,
            }
        rows.append(
            {
                "decision": decision,
                "preview": previews.get((decision.target_type, decision.target_id), {}),
                "appealable": selectors.decision_appealable(decision),
                "appeal": appeal,
            }
        )
    context = {"rows": rows, "appeal_days": selectors.APPEAL_DAYS}
    return render(request, "frontend/moderation/mine.html", context)


@ensure_csrf_cookie
def log_page(request):
    entries = list(selectors.public_log()[: LOG_PAGE + 1])
    context = {
        "entries": entries[:LOG_PAGE],
        "has_more": len(entries) > LOG_PAGE,
        "page_size": LOG_PAGE,
        "labels": moderation_labels(),
        "can_moderate": can_moderate_content(request.user),
    }
    return render(request, "frontend/moderation/log.html", context)
