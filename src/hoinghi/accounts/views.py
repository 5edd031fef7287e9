from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from hoinghi.accounts import services
from hoinghi.accounts.forms import LoginForm, PasswordChangeForm


class LoginView(auth_views.LoginView):
    """Password login for staff; django-axes counts failures and locks a username+address pair."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, through `services.user_password_change`, which also ends a
    one-time password's hold on the account; then on to where the user was going (`next`)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def form_valid(self, form):
        user = services.user_password_change(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return super(auth_views.PasswordChangeView, self).form_valid(form)

    def get_success_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return resolve_url("orgs:tree")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "must_change": self.request.user.must_change_password,
            "next": self.request.POST.get("next") or self.request.GET.get("next") or "",
        }
