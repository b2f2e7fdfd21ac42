"""Until the second step is passed, a signed-in official reaches nothing but it (the Django admin included)."""

from functools import cached_property

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from portal.twofactor import policy


class SecondStepMiddleware:
    """After django-otp's ``OTPMiddleware`` (which tells whether the session passed the step)."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def open_paths(self):
        return {reverse("twofactor_verify"), reverse("twofactor_setup"), reverse("logout")}

    def __call__(self, request):
        if policy.is_due(request) and request.path_info not in self.open_paths:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('twofactor_verify')}?{query}")
        return self.get_response(request)
