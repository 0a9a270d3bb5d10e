"""Admin for the taxonomy: industries, skills with their aliases, and merging skills."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from ..models import Industry, Skill, SkillAlias
from ..services.taxonomy import skill_merge
from .common import action_confirmation


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "keywords", "active"]


class SkillAliasForm(forms.ModelForm):
    class Meta:
        model = SkillAlias
        fields = ["name"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = (
            SkillAlias.objects.filter(name__iexact=name)
            .exclude(pk=self.instance.pk)
            .select_related("skill")
            .first()
        )
        if taken is not None:
            raise forms.ValidationError(
                f"“{taken.name}” is already an alias of {taken.skill.name}; "
                "aliases are unique, ignoring case."
            )
        return name


class SkillAliasInline(admin.TabularInline):
    model = SkillAlias
    form = SkillAliasForm
    extra = 1


class SkillMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Skill.objects.none(),
        label="Merge into",
        help_text="The skill that stays. The others become its aliases and hand it their links.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Skill.objects.active().order_by("name")


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "alias_list", "match_name", "active", "merged_into"]
    list_filter = ["category", "active", "match_name"]
    search_fields = ["name", "slug", "aliases__name"]
    ordering = ["category", "name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SkillAliasInline]
    list_select_related = ["merged_into"]
    raw_id_fields = ["merged_into"]
    readonly_fields = ["merged_into"]
    fields = ["name", "slug", "category", "match_name", "active", "merged_into"]
    actions = ["merge_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Skill]:
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="Aliases")
    def alias_list(self, skill: Skill) -> str:
        return ", ".join(alias.name for alias in skill.aliases.all())

    @admin.action(description="Merge selected skills into…", permissions=["change"])
    def merge_selected(self, request: HttpRequest, queryset: QuerySet[Skill]):
        form = SkillMergeForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            merged = []
            for source in queryset.exclude(pk=target.pk).order_by("name"):
                try:
                    skill_merge(source=source, target=target)
                except ValueError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    merged.append(source.name)
            if merged:
                self.message_user(
                    request,
                    f"Merged {', '.join(merged)} into {target.name}.",
                    messages.SUCCESS,
                )
            return None
        return action_confirmation(
            self,
            request,
            template="admin/opportunities/skill/merge_confirmation.html",
            title="Merge skills",
            action="merge_selected",
            selected=queryset.order_by("name"),
            form=form,
        )
