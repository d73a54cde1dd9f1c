"""The member's address book page (收货地址): manage addresses, or pick one for checkout."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import ensure_csrf_cookie

from groupbuy.selectors.addresses import MAX_ADDRESSES, addresses_of


@login_required
@ensure_csrf_cookie
def addresses_page(request):
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    context = {
        "addresses": list(addresses_of(user=request.user)),
        "max_addresses": MAX_ADDRESSES,
        # From checkout: tapping an address picks it and goes back.
        "pick": request.GET.get("pick") == "1",
        "back": back,
    }
    return render(request, "frontend/shop/addresses.html", context)
