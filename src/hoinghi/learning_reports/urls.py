from django.urls import path

from hoinghi.learning_reports.views import marking, organiser, personal, reminders, results, similarity

app_name = "learning_reports"

urlpatterns = [
    # The writer, through their personal link (views/personal.py; autosave and notes in api.py)
    path("moi/<str:token>/", personal.report_write, name="write"),
    path("moi/<str:token>/nop/", personal.report_submit, name="submit"),
    path("moi/<str:token>/tai-len/", personal.report_upload, name="upload"),
    path("moi/<str:token>/ghi-chep.<str:kind>", personal.notes_export, name="notes_export"),
    # The reviewers (views/marking.py)
    path("cham/", marking.queue, name="queue"),
    path("cham/<int:marking_id>/", marking.marking_page, name="mark"),
    # Copied text (views/similarity.py)
    path("trung-lap/<int:flag_id>/", similarity.flag_page, name="flag"),
    path("hoi-nghi/<int:conference_id>/so-sanh/", similarity.run_start, name="similarity_run"),
    path(
        "hoi-nghi/<int:conference_id>/so-sanh/tien-do/", similarity.run_progress, name="similarity_progress"
    ),
    # The organisers (views/organiser.py)
    path("hoi-nghi/<int:conference_id>/", organiser.reports_page, name="manage"),
    path("hoi-nghi/<int:conference_id>/bai/<int:report_id>/", organiser.report_detail, name="detail"),
    path("hoi-nghi/<int:conference_id>/thong-ke/", results.statistics_page, name="statistics"),
    path("hoi-nghi/<int:conference_id>/thong-ke/truc-tiep/", results.statistics_live, name="statistics_live"),
    path("hoi-nghi/<int:conference_id>/phan-cong/", results.allocate, name="allocate"),
    path("hoi-nghi/<int:conference_id>/cong-bo/", results.release, name="release"),
    path("hoi-nghi/<int:conference_id>/nhac-nop/", reminders.remind, name="remind"),
]
