"""A resolution's configuration in the admin: its parts with the resolution (scoped to the
owner's subtree); elements, indicators, rules, data sets and periods as vocabularies (superusers
change them). Values, submissions and roll-ups change only through the services, never here."""

from django.contrib import admin

from hoinghi.core.admin import ScopedAdmin, VocabularyAdmin
from hoinghi.resolutions.models import (
    DataElement,
    DataElementOption,
    DataSet,
    Indicator,
    Period,
    Resolution,
    ResolutionItem,
    ValidationRule,
)


class ResolutionItemInline(admin.TabularInline):
    model = ResolutionItem
    extra = 0
    fields = ("kind", "number", "text")


@admin.register(Resolution)
class ResolutionAdmin(ScopedAdmin):
    view_action = "resolutions.view"
    change_action = "resolutions.manage"
    list_display = ("title", "owner", "adopted_on")
    raw_id_fields = ("owner",)
    inlines = [ResolutionItemInline]


class DataElementOptionInline(admin.TabularInline):
    model = DataElementOption
    extra = 0


@admin.register(DataElement)
class DataElementAdmin(VocabularyAdmin):
    list_display = ("code", "name", "order")
    search_fields = ("code", "name")
    filter_horizontal = ("unit_kinds", "levels")
    inlines = [DataElementOptionInline]


@admin.register(Indicator)
class IndicatorAdmin(VocabularyAdmin):
    list_display = ("code", "name", "resolution", "target_value", "direction", "deadline", "is_yearly")
    list_filter = ("resolution",)


@admin.register(DataSet)
class DataSetAdmin(VocabularyAdmin):
    list_display = ("code", "name", "periodicity", "due_days")
    filter_horizontal = ("elements", "unit_kinds", "levels")


admin.site.register(ValidationRule, VocabularyAdmin)
admin.site.register(Period, VocabularyAdmin)
