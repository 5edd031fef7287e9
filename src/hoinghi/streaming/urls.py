from django.urls import path

from hoinghi.streaming.views import hooks, pages

app_name = "streaming"

urlpatterns = [
    path("hooks/<str:secret>/publish/", hooks.publish, name="hook-publish"),
    path("hooks/<str:secret>/update/", hooks.update, name="hook-update"),
    path("hooks/<str:secret>/publish-done/", hooks.publish_done, name="hook-publish-done"),
    path("hooks/<str:secret>/record-done/", hooks.record_done, name="hook-record-done"),
    path("hoi-nghi/<int:conference_id>/", pages.stream_manage, name="manage"),
    path("hoi-nghi/<int:conference_id>/tao/", pages.stream_create, name="create"),
    path("hoi-nghi/<int:conference_id>/khoa/doi/", pages.key_rotate, name="key-rotate"),
    path("hoi-nghi/<int:conference_id>/khoa/<int:key_id>/thu-hoi/", pages.key_revoke, name="key-revoke"),
    path("hoi-nghi/<int:conference_id>/trang-thai/", pages.stream_status, name="status"),
    path("chuong/<int:chapter_id>/", pages.chapter_adjust, name="chapter-adjust"),
    path("ban-ghi/<int:recording_id>/xu-ly-lai/", pages.recording_retry, name="recording-retry"),
    path("xem/<int:conference_id>/", pages.watch_public, name="watch-public"),
    path("moi/<str:token>/xem-lai/<int:chapter_id>/", pages.watch_later, name="watch-later"),
]
