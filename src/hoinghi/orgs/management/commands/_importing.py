"""What `hoinghi import-people` and `hoinghi import-units` share: the web page's plan → preview →
apply, in the terminal, through the same services (so the same checks, audit and all-or-nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from hoinghi.core.errors import DomainError
from hoinghi.orgs import services
from hoinghi.orgs.importers import Decision
from hoinghi.orgs.models import ImportJob, ImportStatus, Unit

ERRORS_SHOWN = 200


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx, .xls, .ods or .csv")
        parser.add_argument("--unit", required=True, help="code of the unit imported into (the scope)")
        parser.add_argument("--user", required=True, help="username of the administrator importing it")
        parser.add_argument("--sheet", default="", help="the sheet to read, when several hold a list")
        parser.add_argument(
            "--duplicates",
            choices=[str(choice) for choice in Decision],
            help="every likely duplicate: keep both, skip the row, or merge it into the stored person",
        )
        parser.add_argument("--yes", action="store_true", help="apply without asking")

    def handle(self, *args, file: str, unit: str, user: str, sheet: str, duplicates, yes: bool, **options):
        from hoinghi.accounts.models import User

        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không có tệp %(path)s.") % {"path": file})
        actor = User.objects.filter(username=user, is_active=True).first()
        scope = Unit.objects.filter(code=unit).first()
        if actor is None or scope is None:
            raise CommandError(
                _("Không có người dùng “%(user)s” hoặc đơn vị mã “%(unit)s”.") % {"user": user, "unit": unit}
            )
        try:
            with transaction.atomic():
                job = services.import_job_create(
                    actor=actor,
                    kind=self.kind,
                    scope_unit=scope,
                    file_name=path.name,
                    content=path.read_bytes(),
                    options={"sheet": sheet} if sheet else None,
                    schedule_check=False,
                )
            job = services.import_job_check(job=job)
            if duplicates and job.summary.get("undecided"):
                choices = {
                    str(item["row"]): duplicates if duplicates in item["choices"] else str(Decision.SKIP)
                    for item in job.details.get("duplicates", [])
                }
                job = services.import_job_choose(
                    actor=actor, job=job, duplicates=choices, schedule_check=False
                )
                job = services.import_job_check(job=job)
            self._preview(job)
            if job.status != ImportStatus.PREVIEWED:
                raise CommandError(_("Tệp có lỗi: không có gì được ghi. Hãy sửa tệp rồi nhập lại."))
            if job.summary.get("undecided"):
                raise CommandError(
                    _("Còn %(count)s dòng có thể trùng người: chạy lại với --duplicates keep|skip|merge.")
                    % {"count": job.summary["undecided"]}
                )
            if not yes and input(_("Áp dụng các thay đổi trên? [c/K] ")).strip().lower() not in (
                "c",
                "co",
                "có",
                "y",
                "yes",
            ):
                self.stdout.write(_("Không áp dụng: không có gì được ghi."))
                return
            services.import_job_request_apply(actor=actor, job=job, schedule=False)
            job = services.import_job_apply(
                job=ImportJob.objects.select_related("scope_unit", "created_by").get(pk=job.pk)
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        if job.status != ImportStatus.APPLIED:
            self._preview(job)
            raise CommandError(_("Không áp dụng được: không có gì được ghi."))
        self.stdout.write(self.style.SUCCESS(_("Đã áp dụng lượt nhập #%(job)s.") % {"job": job.pk}))

    def _preview(self, job: ImportJob) -> None:
        summary = job.summary
        write = self.stdout.write
        write(
            _("Tệp %(file)s → %(unit)s: %(status)s")
            % {"file": job.file_name, "unit": job.scope_unit.code, "status": job.get_status_display()}
        )
        if summary.get("header_row"):
            where = _("dòng tiêu đề %(row)s") % {"row": summary["header_row"]}
            if summary.get("sheet"):
                where = _("trang “%(sheet)s”, %(where)s") % {"sheet": summary["sheet"], "where": where}
            write("  " + where)
        if summary.get("legacy_font"):
            write("  " + _("phông cũ %(font)s, đã chuyển sang Unicode") % {"font": summary["legacy_font"]})
        if "rows" in summary:
            write(
                "  "
                + _("%(rows)s dòng: %(added)s thêm, %(changed)s sửa, %(unchanged)s không đổi")
                % {key: summary.get(key, 0) for key in ("rows", "added", "changed", "unchanged")}
            )
        for change in job.details.get("position_changes", []):
            write(
                "  "
                + _("dòng %(row)s %(name)s (%(code)s): thôi %(ended)s; nhận %(added)s")
                % {
                    **change,
                    "ended": "; ".join(change["ended"]) or "-",
                    "added": "; ".join(change["added"]) or "-",
                }
            )
        for duplicate in job.details.get("duplicates", []):
            write(
                "  "
                + _("dòng %(row)s %(name)s %(birth)s có thể trùng %(other)s: %(choice)s")
                % {**duplicate, "choice": duplicate["choice"] or _("chưa chọn")}
            )
        for error in job.errors[:ERRORS_SHOWN]:
            where = (
                _("dòng %(row)s, cột %(column)s")
                % {"row": error["row"], "column": error.get("heading") or error["column"]}
                if error["row"]
                else _("tệp")
            )
            self.stderr.write(f"  {where}: {error['message']}")
        if len(job.errors) > ERRORS_SHOWN:
            self.stderr.write("  " + _("… và %(count)s lỗi nữa") % {"count": len(job.errors) - ERRORS_SHOWN})
