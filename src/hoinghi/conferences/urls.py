from django.urls import path

from hoinghi.conferences.views import (
    conferences,
    documents,
    invitations,
    materials,
    operators,
    personal,
    points,
    sending,
)

app_name = "conferences"

urlpatterns = [
    # The conference, its life cycle and programme (views/conferences.py)
    path("", conferences.conference_list, name="list"),
    path("tao-moi/", conferences.conference_create, name="create"),
    path("<int:pk>/", conferences.conference_detail, name="detail"),
    path("<int:pk>/sua/", conferences.conference_edit, name="edit"),
    path("<int:pk>/chuyen-giai-doan/", conferences.conference_transition, name="transition"),
    path("<int:pk>/xoa/", conferences.conference_delete, name="delete"),
    path("<int:pk>/nhan-ban/", conferences.conference_clone, name="clone"),
    path("<int:pk>/chuong-trinh/", conferences.programme, name="programme"),
    path("<int:pk>/chuong-trinh/them/", conferences.programme_item_create, name="programme_item_create"),
    path(
        "<int:pk>/chuong-trinh/<int:item_pk>/sua/",
        conferences.programme_item_edit,
        name="programme_item_edit",
    ),
    path(
        "<int:pk>/chuong-trinh/<int:item_pk>/xoa/",
        conferences.programme_item_delete,
        name="programme_item_delete",
    ),
    path(
        "<int:pk>/chuong-trinh/<int:item_pk>/thu-tu/",
        conferences.programme_item_move,
        name="programme_item_move",
    ),
    path(
        "<int:pk>/chuong-trinh/<int:item_pk>/bao-cao-vien/", conferences.presenter_add, name="presenter_add"
    ),
    path(
        "<int:pk>/bao-cao-vien/<int:presenter_pk>/xoa/", conferences.presenter_remove, name="presenter_remove"
    ),
    # Bridge points and readiness (views/points.py)
    path("<int:pk>/diem-cau/", points.point_list, name="points"),
    path("<int:pk>/diem-cau/them/", points.point_create, name="point_create"),
    path("<int:pk>/diem-cau/<int:point_pk>/", points.point_detail, name="point_detail"),
    path("<int:pk>/diem-cau/<int:point_pk>/sua/", points.point_edit, name="point_edit"),
    path("<int:pk>/diem-cau/<int:point_pk>/xoa/", points.point_delete, name="point_delete"),
    path("<int:pk>/diem-cau/<int:point_pk>/don-vi/", points.point_units, name="point_units"),
    path("<int:pk>/diem-cau/<int:point_pk>/van-hanh/", points.point_operators, name="point_operators"),
    path(
        "<int:pk>/diem-cau/<int:point_pk>/san-sang/", points.point_readiness_mark, name="point_readiness_mark"
    ),
    path("<int:pk>/san-sang/", points.readiness, name="readiness"),
    # Operator accounts made in bulk (views/operators.py)
    path("<int:pk>/diem-cau/tai-khoan-van-hanh/", operators.operator_accounts, name="operator_accounts"),
    path(
        "<int:pk>/diem-cau/tai-khoan-van-hanh/tao/",
        operators.operator_accounts_create,
        name="operator_accounts_create",
    ),
    path(
        "<int:pk>/diem-cau/tai-khoan-van-hanh/mau.xlsx",
        operators.operator_template_xlsx,
        name="operator_template_xlsx",
    ),
    path(
        "<int:pk>/diem-cau/<int:point_pk>/van-hanh/<int:user_pk>/cap-lai-mat-khau/",
        operators.operator_password_renew,
        name="operator_password_renew",
    ),
    path("<int:pk>/goi-y/don-vi/", points.unit_suggest, name="unit_suggest"),
    path("<int:pk>/goi-y/can-bo/", conferences.person_suggest, name="person_suggest"),
    # Eligibility rules, preview, issuing, invitations, e-mail (views/invitations.py)
    path("<int:pk>/doi-tuong/", invitations.rule_list, name="rules"),
    path("<int:pk>/doi-tuong/them/", invitations.rule_create, name="rule_create"),
    path("<int:pk>/doi-tuong/<int:rule_pk>/sua/", invitations.rule_edit, name="rule_edit"),
    path("<int:pk>/doi-tuong/<int:rule_pk>/xoa/", invitations.rule_delete, name="rule_delete"),
    path("<int:pk>/doi-tuong/don-vi/", invitations.rule_unit_search, name="rule_unit_search"),
    path("<int:pk>/moi-them-loai-tru/", invitations.overrides, name="overrides"),
    path("<int:pk>/xem-truoc/", invitations.preview, name="preview"),
    path("<int:pk>/phat-hanh/", invitations.issue, name="issue"),
    path("<int:pk>/ap-dung-lai/", invitations.reapply, name="reapply"),
    path("<int:pk>/danh-sach-moi/", invitations.invitation_list, name="invitations"),
    path("<int:pk>/giay-moi/<int:invitation_pk>/doi-ma/", invitations.token_revoke, name="token_revoke"),
    path(
        "<int:pk>/giay-moi/<int:invitation_pk>/duong-dan/",
        invitations.invitation_link,
        name="invitation_link",
    ),
    path("<int:pk>/giay-moi/<int:invitation_pk>/diem-cau/", invitations.person_point, name="person_point"),
    path(
        "<int:pk>/can-bo/<int:person_pk>/diem-cau/",
        invitations.person_point_by_person,
        name="person_point_by_person",
    ),
    path("<int:pk>/tong-hop/", invitations.totals, name="totals"),
    # E-mails and SMS to invitees, the outbox (views/sending.py)
    path("<int:pk>/gui-giay-moi/xac-nhan/", sending.send_confirm, name="send_confirm"),
    path("<int:pk>/gui-thu/", sending.send_emails, name="send_emails"),
    path("<int:pk>/gui-tin-nhan/", sending.send_sms, name="send_sms"),
    path("<int:pk>/hop-thu-di/", sending.outbox, name="outbox"),
    path("<int:pk>/hop-thu-di/gui-lai/", sending.outbox_retry, name="outbox_retry"),
    path("<int:pk>/hop-thu-di/gui-lai-tin-nhan/", sending.sms_retry, name="sms_retry"),
    # Print-outs and spreadsheets (views/documents.py)
    path("<int:pk>/chuong-trinh.pdf", documents.programme_pdf, name="programme_pdf"),
    path("<int:pk>/diem-cau/<int:point_pk>/giay-moi.pdf", documents.invitations_pdf, name="invitations_pdf"),
    path(
        "<int:pk>/diem-cau/<int:point_pk>/giay-moi/tao-tep/",
        documents.invitation_print_request,
        name="invitation_print_request",
    ),
    path(
        "<int:pk>/diem-cau/<int:point_pk>/giay-moi/tien-do/",
        documents.invitation_print_progress,
        name="invitation_print_progress",
    ),
    path(
        "<int:pk>/diem-cau/<int:point_pk>/giay-moi/<int:print_pk>/tai-ve/",
        documents.invitation_print_download,
        name="invitation_print_download",
    ),
    path("<int:pk>/diem-cau/<int:point_pk>/danh-sach.xlsx", documents.roster_xlsx, name="roster_xlsx"),
    path("<int:pk>/diem-cau/<int:point_pk>/ky-ten.pdf", documents.signin_pdf, name="signin_pdf"),
    # Materials (views/materials.py)
    path("<int:pk>/tai-lieu/", materials.material_list, name="materials"),
    path(
        "<int:pk>/tai-lieu/<int:material_pk>/tai-ve/", materials.material_download, name="material_download"
    ),
    path("<int:pk>/tai-lieu/<int:material_pk>/xoa/", materials.material_delete, name="material_delete"),
]

# The invitee's own page: the token in the link (or the QR code) is the credential.
personal_urlpatterns = [
    path("<str:token>/", personal.invitation_page, name="invitation_page"),
    path("<str:token>/qr.svg", personal.invitation_qr, name="invitation_qr"),
    path("<str:token>/lich.ics", personal.invitation_calendar, name="invitation_calendar"),
    path("<str:token>/tai-lieu/<int:material_pk>/", personal.invitation_material, name="invitation_material"),
]
