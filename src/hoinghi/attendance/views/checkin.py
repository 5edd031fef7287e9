"""The operator's check-in page and the participant's self check-in (live-operations issue)."""

urlpatterns: list = []
