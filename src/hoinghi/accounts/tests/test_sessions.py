"""Sessions cached in Redis (the SESSION_ENGINE when REDIS_URL is set) keep working when it is away."""

from django.contrib.sessions.models import Session
from django.urls import reverse

from hoinghi.accounts.tests.factories import UserFactory

REDIS_AWAY = "redis://127.0.0.1:1/0"  # nothing listens there


def test_signing_in_and_out_works_when_redis_is_away(client, db, settings):
    settings.SESSION_ENGINE = "hoinghi.accounts.sessions"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_AWAY}
    }
    user = UserFactory()
    client.force_login(user)  # stored in the database; the copy for the cache is lost
    assert Session.objects.count() == 1
    response = client.get("/")
    assert response.wsgi_request.user == user
    response = client.post(reverse("accounts:logout"))
    assert not response.wsgi_request.user.is_authenticated
    assert Session.objects.count() == 0
