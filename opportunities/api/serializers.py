"""What the API sends and accepts: plain serializers, each field named as the board names it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opportunities.models import (
    ApiToken,
    Company,
    DeveloperProfile,
    Industry,
    Match,
    Role,
    SavedSearch,
    Skill,
    Stage,
    StageChange,
    TrackedOpportunity,
)
from opportunities.text import text_clean


class CleanCharField(serializers.CharField):
    """Text from a client, with control characters stripped before any service sees it."""

    def to_internal_value(self, data):
        return text_clean(super().to_internal_value(data))


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem: every error the API answers."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(required=False, child=serializers.JSONField())
    retry_after = serializers.IntegerField(required=False)


# The board's public reads.


class CardSkillSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    required = serializers.SerializerMethodField()

    def get_required(self, skill) -> bool:
        return not skill.nice


class RoleSummarySerializer(serializers.Serializer):
    """A search result: what the search page's card shows, as values."""

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The role's page on the board.")
    api_url = serializers.SerializerMethodField()
    company_name = serializers.CharField()
    company_verified = serializers.BooleanField()
    industry = serializers.CharField(source="industry_name", help_text="Empty without one.")
    workplace = serializers.CharField()
    worldwide = serializers.BooleanField()
    seniority = serializers.CharField(source="seniority_label")
    visa_sponsorship = serializers.BooleanField()
    location = serializers.CharField()
    salary = serializers.CharField(help_text="As the role page words it; empty without one.")
    posted_at = serializers.DateTimeField(allow_null=True)
    skills = CardSkillSerializer(many=True)

    def get_url(self, card) -> str:
        return self.context["request"].build_absolute_uri(card.url)

    def get_api_url(self, card) -> str:
        return self.context["request"].build_absolute_uri(f"/api/v1/roles/{card.pk}/")


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class RoleSearchSerializer(serializers.Serializer):
    """A page of a search, with the links to the pages either side (null at either end)."""

    count = serializers.IntegerField()
    count_is_estimate = serializers.BooleanField()
    sort = serializers.CharField()
    query = serializers.CharField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    messages = serializers.ListField(child=serializers.CharField())
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Values that were not understood, by parameter; each was left out.",
    )
    facets = serializers.DictField(child=FacetOptionSerializer(many=True))
    results = RoleSummarySerializer(many=True)


class IndustrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Industry
        fields = ["slug", "name", "description"]


class SkillSerializer(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField()

    class Meta:
        model = Skill
        fields = ["slug", "name", "category", "aliases"]

    def get_aliases(self, skill) -> list[str]:
        return [alias.name for alias in skill.aliases.all()]


class TrendQuerySerializer(serializers.Serializer):
    industry = serializers.SlugField(required=False, default="", help_text="An industry slug.")
    workplace = serializers.ChoiceField(
        choices=["onsite", "hybrid", "remote", "worldwide"],
        required=False,
        default="",
        help_text="One workplace (worldwide: remote and open anywhere); not with industry.",
    )
    weeks = serializers.IntegerField(min_value=1, max_value=104, default=26)


class SkillNameSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class TrendWeekSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="The Monday the week starts on.")
    open_roles = serializers.IntegerField(help_text="Open postings asking for the skill.")
    new_roles = serializers.IntegerField(help_text="New postings asking for it that week.")
    all_open = serializers.IntegerField(help_text="All open postings in the slice.")
    all_new = serializers.IntegerField(help_text="All new postings in the slice that week.")
    open_share = serializers.FloatField(allow_null=True, help_text="Per cent of all_open.")
    new_share = serializers.FloatField(allow_null=True, help_text="Per cent of all_new.")


class SkillTrendSerializer(serializers.Serializer):
    skill = SkillNameSerializer()
    industry = serializers.CharField()
    workplace = serializers.CharField()
    weeks = TrendWeekSerializer(many=True)


class RisingQuerySerializer(serializers.Serializer):
    industry = serializers.SlugField(required=False, default="", help_text="An industry slug.")
    direction = serializers.ChoiceField(choices=["rising", "falling"], default="rising")
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)


class RisingSkillSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    recent = serializers.IntegerField(help_text="New postings asking for it, the last `days`.")
    previous = serializers.IntegerField(help_text="The same, the `days` before those.")
    growth = serializers.FloatField(help_text="Per cent change from previous to recent.")


class RisingSerializer(serializers.Serializer):
    industry = serializers.CharField()
    direction = serializers.CharField()
    days = serializers.IntegerField()
    min_count = serializers.IntegerField(
        help_text="A skill ranks only with at least this many postings in the earlier period."
    )
    skills = RisingSkillSerializer(many=True)


class CompanySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    website = serializers.CharField(help_text="An address, or empty.")

    class Meta:
        model = Company
        fields = ["slug", "name", "website", "description", "verified", "url"]

    def get_url(self, company) -> str:
        return self.context["request"].build_absolute_uri(company.get_absolute_url())


class RoleSkillSerializer(serializers.Serializer):
    slug = serializers.CharField(source="skill.slug")
    name = serializers.CharField(source="skill.name")
    required = serializers.SerializerMethodField()

    def get_required(self, role_skill) -> bool:
        return role_skill.kind == "required"


class RoleSerializer(serializers.ModelSerializer):
    """A role with all its public fields."""

    url = serializers.SerializerMethodField()
    company = serializers.SerializerMethodField()
    industry = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    skills = RoleSkillSerializer(source="role_skills", many=True)
    location = serializers.CharField(source="location_display")
    apply_url = serializers.CharField(help_text="Where to apply: an address, or empty.")

    class Meta:
        model = Role
        fields = [
            "id",
            "title",
            "url",
            "status",
            "company",
            "industry",
            "description",
            "workplace",
            "worldwide",
            "city",
            "region",
            "country",
            "location",
            "applicant_countries",
            "applicant_regions",
            "applicant_timezones",
            "visa_sponsorship",
            "employment_type",
            "seniority",
            "salary_min",
            "salary_max",
            "salary_currency",
            "salary_period",
            "salary_yearly_min",
            "salary_yearly_max",
            "apply_url",
            "posted_at",
            "expires_at",
            "skills",
        ]

    def get_url(self, role) -> str:
        return self.context["request"].build_absolute_uri(role.get_absolute_url())

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "verified": {"type": "boolean"},
            },
            "required": ["slug", "name", "verified"],
        }
    )
    def get_company(self, role) -> dict:
        company = role.company
        return {"slug": company.slug, "name": company.name, "verified": company.verified}


# A token's own data.


class ProfileSkillSerializer(serializers.Serializer):
    slug = serializers.CharField(source="skill.slug")
    name = serializers.CharField(source="skill.name")
    level = serializers.CharField()
    years = serializers.IntegerField()


class ProfileSerializer(serializers.ModelSerializer):
    skills = ProfileSkillSerializer(source="profile_skills", many=True)
    industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = DeveloperProfile
        fields = [
            "display_name",
            "headline",
            "skills",
            "industries",
            "workplace_preference",
            "needs_worldwide",
            "city",
            "country",
            "timezone",
            "salary_floor",
            "salary_currency",
            "seniority",
            "discoverable",
        ]


class ExplanationSerializer(serializers.Serializer):
    """Why a role matches: the skills it shares, the required ones missing, each factor's points."""

    matched_required = serializers.ListField(child=serializers.CharField(), default=list)
    matched_nice = serializers.ListField(child=serializers.CharField(), default=list)
    missing_required = serializers.ListField(child=serializers.CharField(), default=list)
    factors = serializers.DictField(child=serializers.FloatField(), default=dict)


class MatchSerializer(serializers.ModelSerializer):
    role_id = serializers.IntegerField()
    role_title = serializers.CharField(source="role.title")
    company_name = serializers.CharField(source="role.company.name")
    explanation = ExplanationSerializer()

    class Meta:
        model = Match
        fields = ["id", "role_id", "role_title", "company_name", "score", "explanation", "saved"]


class SavedSearchSerializer(serializers.ModelSerializer):
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "query", "frequency", "created_at", "last_run_at", "api_url"]

    def get_api_url(self, search) -> str:
        suffix = f"?{search.query}" if search.query else ""
        return self.context["request"].build_absolute_uri(f"/api/v1/roles/{suffix}")


class StageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = ["stage", "at", "note"]


class TrackedSerializer(serializers.ModelSerializer):
    """An entry of the tracker, as its owner sees it."""

    url = serializers.CharField(read_only=True, help_text="The role's address, or empty.")

    class Meta:
        model = TrackedOpportunity
        fields = [
            "id",
            "role_id",
            "title",
            "company_name",
            "url",
            "location",
            "source",
            "source_name",
            "tags",
            "salary_offered",
            "next_step",
            "next_step_due",
            "notes",
            "stage",
            "stage_changed_at",
            "applied_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TrackedDetailSerializer(TrackedSerializer):
    history = StageChangeSerializer(source="stage_changes", many=True, read_only=True)

    class Meta(TrackedSerializer.Meta):
        fields = [*TrackedSerializer.Meta.fields, "history"]
        read_only_fields = fields


class TrackCreateSerializer(serializers.Serializer):
    """Track a board role (role_id), or a role from elsewhere (title and company_name)."""

    role_id = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    title = CleanCharField(required=False, max_length=300)
    company_name = CleanCharField(required=False, max_length=200)
    url = serializers.URLField(required=False, max_length=2000)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    notes = CleanCharField(required=False, allow_blank=True, max_length=20000)

    def validate(self, attrs):
        if "role_id" not in attrs and not (attrs.get("title") and attrs.get("company_name")):
            raise serializers.ValidationError("Give a role_id, or a title and a company_name.")
        return attrs


class TrackUpdateSerializer(serializers.Serializer):
    """The details of an entry that may change (its stage moves apart, with a note)."""

    title = CleanCharField(required=False, max_length=300)
    company_name = CleanCharField(required=False, max_length=200)
    location = CleanCharField(required=False, allow_blank=True, max_length=200)
    tags = CleanCharField(required=False, allow_blank=True, max_length=500)
    salary_offered = CleanCharField(required=False, allow_blank=True, max_length=100)
    next_step = CleanCharField(required=False, allow_blank=True, max_length=300)
    next_step_due = serializers.DateField(required=False, allow_null=True)
    notes = CleanCharField(required=False, allow_blank=True, max_length=20000)


class TrackMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    note = CleanCharField(required=False, allow_blank=True, max_length=500)


# Recruiters.


class HiringRoleSerializer(serializers.ModelSerializer):
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actions = serializers.SerializerMethodField(help_text="What the lifecycle allows next.")

    class Meta:
        model = Role
        fields = [
            "id",
            "title",
            "company",
            "status",
            "posted_at",
            "expires_at",
            "submitted_at",
            "review_note",
            "actions",
        ]

    def get_actions(self, role) -> list[str]:
        return self.context["actions"](role)


class HiringActionSerializer(serializers.Serializer):
    filled = serializers.BooleanField(required=False, default=False, help_text="When closing.")


class RoleStatsSerializer(serializers.Serializer):
    role_id = serializers.IntegerField(source="role.pk")
    title = serializers.CharField(source="role.title")
    status = serializers.CharField(source="role.status")
    days = serializers.ListField(child=serializers.DateField())
    series = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
    totals = serializers.DictField(child=serializers.IntegerField())
    candidates = serializers.IntegerField()


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["name", "prefix", "scope", "created_at", "last_used_at"]
