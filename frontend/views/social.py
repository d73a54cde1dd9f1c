"""Profiles and the member's settings: read through community's social selectors; every write goes
through the REST API."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from community.selectors import communities as community_selectors
from community.selectors import social as social_selectors

PAGE_SIZE = 30


@ensure_csrf_cookie
def profile_page(request, username: str):
    member = social_selectors.user_get_active(username=username)
    viewer = request.user if request.user.is_authenticated else None
    context = {
        "member": member,
        "stats": social_selectors.profile_stats(user=member, viewer=viewer),
        "interests": social_selectors.interest_names(member),
        "memberships": community_selectors.communities_of_user(user=member).order_by("-id")[
            :PAGE_SIZE
        ],
        "is_self": viewer is not None and viewer.pk == member.pk,
    }
    return render(request, "frontend/community/profile.html", context)


@login_required
@ensure_csrf_cookie
def settings_page(request):
    context = {
        "interests": social_selectors.interest_names(request.user),
        "blocks": social_selectors.blocks_list(user=request.user).order_by("-id")[:100],
    }
    return render(request, "frontend/community/settings.html", context)
