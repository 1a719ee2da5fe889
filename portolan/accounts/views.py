from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .forms import EmailLoginForm, ProfileForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context

    def form_valid(self, form: EmailLoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        language = getattr(form.get_user(), "preferred_language", "")
        if language in dict(settings.LANGUAGES) and not self.get_redirect_url():
            # Land on the dashboard in the member's own language, and remember it.
            with translation.override(language):
                response = HttpResponseRedirect(reverse(settings.LOGIN_REDIRECT_URL))
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
        return response


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            saved = form.save()
            messages.success(request, gettext("Your profile has been saved."))
            language = saved.preferred_language
            if language:
                with translation.override(language):
                    response = HttpResponseRedirect(reverse("accounts:profile"))
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    samesite="Lax",
                )
                return response
            return HttpResponseRedirect(reverse("accounts:profile"))
    else:
        form = ProfileForm(instance=user)
    memberships = user.memberships.select_related("organisation").order_by(  # type: ignore[union-attr]
        "organisation__name"
    )
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})
