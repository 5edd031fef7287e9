"""The national live dashboard, incidents and questions pages (live-operations issue)."""

urlpatterns: list = []
