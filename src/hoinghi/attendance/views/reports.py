"""After the conference: attendance by point, province and category, absentees (live-operations issue)."""

urlpatterns: list = []
