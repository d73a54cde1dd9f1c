"""Interest communities: the list and one community. Read through community's selectors; joining,
leaving and managing go through the REST API."""

from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from community.models import JoinPolicy
from community.selectors import communities as community_selectors

PAGE_SIZE = 30


@ensure_csrf_cookie
def communities_page(request):
    viewer = request.user if request.user.is_authenticated else None
    tag = request.GET.get("tag") or None
    communities = community_selectors.community_list(viewer=viewer, tag=tag).order_by("-id")[
        :PAGE_SIZE
    ]
    rows = [(c, community_selectors.viewer_membership(c)) for c in communities]
    context = {"rows": rows, "tag": tag, "policies": JoinPolicy.choices}
    return render(request, "frontend/community/list.html", context)


@ensure_csrf_cookie
def community_page(request, community_id: int):
    viewer = request.user if request.user.is_authenticated else None
    community = community_selectors.community_get(community_id=community_id, viewer=viewer)
    membership = community_selectors.viewer_membership(community)
    is_manager = community_selectors.is_manager(community_id=community.pk, user=request.user)
    can_see = community_selectors.can_see_members(community=community, user=request.user)
    context = {
        "community": community,
        "membership": membership,
        "is_manager": is_manager,
        "is_owner": membership is not None and membership.role == "owner",
        "members": community_selectors.members_list(community=community).order_by("id")[:PAGE_SIZE]
        if can_see
        else None,
        "requests": community_selectors.join_requests_list(community=community).order_by("id")[
            :PAGE_SIZE
        ]
        if is_manager
        else None,
    }
    return render(request, "frontend/community/detail.html", context)
