"""Questions from the floor: sending, moderation, the presiding board's screen (live-operations issue)."""

urlpatterns: list = []
