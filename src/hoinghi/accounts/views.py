from django.contrib.auth import views as auth_views

from hoinghi.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    """Password login for staff; django-axes counts failures and locks a username+address pair."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
