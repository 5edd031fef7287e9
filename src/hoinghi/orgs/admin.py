from django.contrib import admin

from hoinghi.core.admin import ScopedAdmin, VocabularyAdmin
from hoinghi.orgs import services
from hoinghi.orgs.models import (
    Level,
    Person,
    Position,
    PositionRole,
    PositionRoleAlias,
    Province,
    Unit,
    UnitKind,
    alias_key,
)
from hoinghi.orgs.vietnamese import fold

admin.site.register(Level, VocabularyAdmin)


class PositionRoleAliasInline(admin.TabularInline):
    """The abbreviations offices write for the role ("CT", "P.CT", "UV BCH"), read by imports."""

    model = PositionRoleAlias
    extra = 1
    fields = ("name", "unit")
    raw_id_fields = ("unit",)


@admin.register(PositionRole)
class PositionRoleAdmin(VocabularyAdmin):
    inlines = [PositionRoleAliasInline]

    def save_formset(self, request, form, formset, change):
        for alias in formset.save(commit=False):
            alias.key = alias_key(alias.name)
            alias.save()
        for alias in formset.deleted_objects:
            alias.delete()


@admin.register(UnitKind)
class UnitKindAdmin(VocabularyAdmin):
    list_display = ("name", "code", "level")


@admin.register(Province)
class ProvinceAdmin(VocabularyAdmin):
    list_display = ("code", "name", "short_name")
    search_fields = ("name", "code")


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    """Changes go through `orgs.services`, so paths, sort keys and the audit stay right."""

    list_display = ("name", "code", "kind", "province", "member_count")
    list_filter = ("kind", "province")
    search_fields = ("code", "name", "search_text")
    raw_id_fields = ("parent",)
    fields = (
        "code",
        "name",
        "short_name",
        "kind",
        "parent",
        "sector",
        "member_count",
        "worker_count",
        "province",
        "place",
    )

    def save_model(self, request, obj, form, change):
        if not change:
            saved = services.unit_create(
                actor=request.user,
                parent=obj.parent,
                **{field: form.cleaned_data[field] for field in services.UNIT_FIELDS},
            )
            obj.pk = saved.pk
            return
        original = Unit.objects.get(pk=obj.pk)
        services.unit_update(
            actor=request.user,
            unit=original,
            **{
                field: form.cleaned_data[field]
                for field in services.UNIT_FIELDS
                if field in form.changed_data
            },
        )
        if "parent" in form.changed_data and obj.parent is not None:
            services.unit_move(actor=request.user, unit=original, new_parent=obj.parent)

    def delete_model(self, request, obj):
        services.unit_delete(actor=request.user, unit=obj)


class PositionInline(admin.TabularInline):
    model = Position
    fk_name = "person"
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ("full_name", "code", "unit", "gender", "birth_date")
    search_fields = ("code", "search_text")
    raw_id_fields = ("unit",)
    fields = services.PERSON_FIELDS
    inlines = [PositionInline]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in services.PERSON_FIELDS}
        if not change:
            saved = services.person_create(actor=request.user, **data)
            obj.pk = saved.pk
            obj._state.adding = False
            return
        original = Person.objects.get(pk=obj.pk)
        services.person_update(
            actor=request.user,
            person=original,
            **{field: value for field, value in data.items() if field in form.changed_data},
        )

    def delete_model(self, request, obj):
        services.person_delete(actor=request.user, person=obj)
