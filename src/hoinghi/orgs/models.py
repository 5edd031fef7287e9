"""The organisation tree, its vocabularies, people and their positions.

Levels, kinds of unit and position roles are rows, not code: the 2025 reform removed the
district level and the product must not care.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoinghi.core.models import TimeStampedModel
from hoinghi.core.tree import PathField
from hoinghi.orgs.vietnamese import fold, join_full_name, name_sort_key, sort_key


class Level(models.Model):
    """A level of the tree (national, provincial, district, grassroots...); `rank` 0 is the top."""

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên cấp"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), default=0)

    class Meta:
        verbose_name = _("cấp")
        verbose_name_plural = _("các cấp")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.Model):
    """A kind of unit (provincial federation, central sector union...), at one level."""

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên loại"), max_length=150)
    level = models.ForeignKey(Level, verbose_name=_("cấp"), on_delete=models.PROTECT, related_name="kinds")

    class Meta:
        verbose_name = _("loại đơn vị")
        verbose_name_plural = _("các loại đơn vị")
        ordering = ["level__rank", "name"]

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    """A province or centrally governed city, with its statistics-office code."""

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Sector(models.TextChoices):
    STATE = "state", _("Khu vực nhà nước")
    NON_STATE = "non_state", _("Khu vực ngoài nhà nước")
    ADMINISTRATIVE = "administrative", _("Hành chính sự nghiệp")


class Unit(TimeStampedModel):
    """A node of the organisation tree.

    `path` holds the ids from the root down ("/1/23/456/"); `depth` is 0 at a root. Both are
    written only by the services in `orgs.services`, which keep every descendant right when
    a subtree moves.
    """

    SCOPE_PATH = "path"

    code = models.CharField(_("mã đơn vị"), max_length=50, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.ForeignKey(UnitKind, verbose_name=_("loại"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = PathField(unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sector = models.CharField(_("khu vực"), max_length=20, choices=Sector.choices, blank=True)
    member_count = models.PositiveIntegerField(_("số đoàn viên"), default=0)
    worker_count = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    place = models.CharField(
        _("địa danh ghi trên văn bản"),
        max_length=100,
        blank=True,
        help_text=_(
            'Nơi ban hành văn bản của đơn vị ("Hà Nội, ngày … tháng … năm …"); để trống thì lấy '
            "tỉnh, thành phố của đơn vị hoặc của đơn vị cấp trên."
        ),
    )
    name_sort_key = models.CharField(max_length=600, db_index=True, editable=False)
    search_text = models.CharField(max_length=600, editable=False)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name_sort_key", "id"]
        indexes = [models.Index(fields=["parent", "name_sort_key"], name="orgs_unit_children")]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="orgs_unit_code_not_empty"),
            models.CheckConstraint(condition=~Q(name=""), name="orgs_unit_name_not_empty"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="orgs_unit_depth_matches_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PositionRole(models.Model):
    """A role a person can hold in a unit (president, executive committee member...)."""

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên chức vụ"), max_length=150)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("các chức vụ")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class PositionRoleAlias(models.Model):
    """Another way an organisation writes a role in its files: "CT", "P.CT", "UV BCH".

    An alias given on a unit holds in that unit's subtree (an organisation's own abbreviations
    on its root); one without a unit holds everywhere. Imports compare aliases by `key`: folded,
    without spaces or punctuation, so "P.CT", "P. CT" and "PCT" are one alias.
    """

    role = models.ForeignKey(
        PositionRole, verbose_name=_("chức vụ"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("cách viết"), max_length=100)
    unit = models.ForeignKey(
        "Unit",
        verbose_name=_("dùng trong đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_(
            "Để trống: dùng ở mọi nơi. Chọn một đơn vị: dùng cho đơn vị đó và các đơn vị trực thuộc."
        ),
    )
    key = models.CharField(max_length=100, editable=False)

    class Meta:
        verbose_name = _("tên gọi khác của chức vụ")
        verbose_name_plural = _("tên gọi khác của chức vụ")
        ordering = ["role__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "key"], name="orgs_role_alias_unique_in_unit"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(unit__isnull=True), name="orgs_role_alias_unique_everywhere"
            ),
            models.CheckConstraint(condition=~Q(key=""), name="orgs_role_alias_key_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.role}"


def alias_key(text: str) -> str:
    """How a role's name or alias is compared: "P. CT" and "pct" are one."""
    return "".join(char for char in fold(text) if char.isalnum())


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")
    OTHER = "other", _("Khác")


class Person(TimeStampedModel):
    """Someone in the tree: an official, a member, a participant."""

    SCOPE_PATH = "unit__path"

    code = models.CharField(_("mã cán bộ"), max_length=50, unique=True)
    family_name = models.CharField(_("họ"), max_length=60, blank=True)
    middle_name = models.CharField(_("tên đệm"), max_length=80, blank=True)
    given_name = models.CharField(_("tên"), max_length=60)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    # The year alone when only the year is known (offices' lists often give "Năm sinh"); when
    # the date is known, its year (`person_fill_derived`). So "born in 1980" stays 1980, and
    # matching by year of birth needs one column.
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="people")
    sort_key = models.CharField(max_length=255, db_index=True, editable=False)
    search_text = models.CharField(max_length=400, editable=False)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["unit", "sort_key"], name="orgs_person_unit_sort")]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="orgs_person_code_not_empty"),
            models.CheckConstraint(condition=~Q(given_name=""), name="orgs_person_given_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Position(models.Model):
    """(person, unit, role, start, end): a person holds a role in a unit for a time.

    `is_full_time` marks a full-time union official (cán bộ chuyên trách).
    """

    SCOPE_PATH = "unit__path"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="positions"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="positions"
    )
    role = models.ForeignKey(
        PositionRole, verbose_name=_("chức vụ"), on_delete=models.PROTECT, related_name="positions"
    )
    is_full_time = models.BooleanField(_("chuyên trách"), default=False)
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("chức vụ đảm nhiệm")
        verbose_name_plural = _("chức vụ đảm nhiệm")
        ordering = ["role__sort_order", "id"]
        indexes = [models.Index(fields=["unit", "role"], name="orgs_position_unit_role")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="orgs_position_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["person", "unit", "role"],
                condition=Q(end_date__isnull=True),
                name="orgs_position_one_current_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role} — {self.unit}"


class ImportKind(models.TextChoices):
    UNITS = "units", _("Đơn vị")
    PEOPLE = "people", _("Cán bộ và chức vụ")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ kiểm tra")
    CHECKING = "checking", _("Đang kiểm tra")
    PREVIEWED = "previewed", _("Đã kiểm tra, chờ áp dụng")
    INVALID = "invalid", _("Có lỗi, không thể áp dụng")
    APPLYING = "applying", _("Đang áp dụng")
    APPLIED = "applied", _("Đã áp dụng")
    FAILED = "failed", _("Thất bại")
    CANCELLED = "cancelled", _("Đã hủy")


class ImportJob(TimeStampedModel):
    """An uploaded file on its way in: checked first (preview), then applied all-or-nothing.

    The file's bytes live in the row so that any app server or worker can read them.
    """

    SCOPE_PATH = "scope_unit__path"

    kind = models.CharField(_("loại dữ liệu"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    file_name = models.CharField(_("tệp"), max_length=255)
    content = models.BinaryField(editable=False)
    scope_unit = models.ForeignKey(
        Unit,
        verbose_name=_("phạm vi"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
        help_text=_("Mọi đơn vị và cán bộ trong tệp phải thuộc đơn vị này."),
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("người nhập"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The clerk's choices in the preview: {"sheet", "header_row", "columns": {index: key},
    # "duplicates": {row: "keep" | "skip" | "merge"}}.
    options = models.JSONField(default=dict, blank=True)
    # What the preview lists by person: likely duplicates, rows matched by name, position changes.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("các lượt nhập dữ liệu")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.file_name}"


class ImportColumnMapping(models.Model):
    """A heading an office uses, and the column the clerk said it holds, for its part of the tree.

    Written when a clerk places the columns of a file in the preview; the next file with the
    same heading, imported anywhere in `unit`'s subtree, is read the same way.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    heading = models.CharField(max_length=200)  # as `importers.mapping.heading_key` folds it
    column = models.CharField(max_length=30)  # a column key; "" for "do not import"
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cột của tệp nhập")
        verbose_name_plural = _("cột của tệp nhập")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "heading"], name="orgs_import_mapping_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.heading} → {self.column}"


# --- Derived columns -----------------------------------------------------------------------------


def unit_fill_derived(unit: Unit) -> Unit:
    """Set the columns computed from the unit's own values (sort key, search text)."""
    unit.name_sort_key = sort_key(unit.name)[:600]
    unit.search_text = fold(f"{unit.code} {unit.name} {unit.short_name}")[:600]
    return unit


def person_fill_derived(person: Person) -> Person:
    """Set the full name, the Vietnamese sort key and the search text from the name parts."""
    if person.birth_date is not None:
        person.birth_year = person.birth_date.year
    person.full_name = join_full_name(person.family_name, person.middle_name, person.given_name)
    person.sort_key = name_sort_key(person.family_name, person.middle_name, person.given_name)
    person.search_text = fold(f"{person.full_name} {person.code} {person.phone} {person.email}")[:400]
    return person
