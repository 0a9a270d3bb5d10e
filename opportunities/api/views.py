"""The API's endpoints: thin views that call the same services and selectors as the pages."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opportunities import access
from opportunities.alerts.selectors import saved_search_list
from opportunities.api import selectors
from opportunities.api import serializers as s
from opportunities.api.permissions import PublicRead, TokenScope
from opportunities.api.problems import problem_response
from opportunities.api.schema import problems
from opportunities.catalog.selectors import company_get, role_detail_get
from opportunities.insights.selectors import SeriesRequestError, rising_series, skill_series
from opportunities.matching.selectors import match_list
from opportunities.posting import services as posting
from opportunities.posting.lifecycle import Actor, actions_from
from opportunities.posting.stats import stats_count_search
from opportunities.posting.stats_selectors import role_stats_list
from opportunities.profiles.selectors import developer_profile_for_edit
from opportunities.search import search_roles
from opportunities.search.filters import SORTS
from opportunities.tracker import selectors as tracker_selectors
from opportunities.tracker import services as tracker

_LIST = ("industry", "skill", "workplace", "employment", "seniority")
_WORDS = {
    "q": 'Free text with web-search syntax: "computer vision" -finance pytorch.',
    "industry": "Industry slugs (repeat, or comma-separated).",
    "skill": "Skill slugs (repeat, or comma-separated).",
    "skills": "all (the default) or any: whether a role needs every skill given.",
    "workplace": "onsite, hybrid or remote (repeat for several).",
    "worldwide": "1 for remote roles open to applicants anywhere.",
    "country": "A two-letter country code: roles open to applicants there.",
    "employment": "full_time, part_time, contract, temporary or internship.",
    "seniority": "intern, junior, mid, senior, lead or executive.",
    "salary_min": "Minimum yearly salary: 120000, 120,000 or 120k.",
    "include_unsalaried": "1 to keep roles that state no salary when salary_min is given.",
    "visa": "1 for roles that sponsor a visa.",
    "posted_within": "Posted in the last N days (1-365).",
    "company": "A company slug.",
    "sort": f"{', '.join(SORTS)}; relevance needs q.",
    "page": "Page number (the next and previous links carry it).",
    "after": "Cursor of the next page (from the next link).",
    "before": "Cursor of the previous page (from the previous link).",
}
# Every value is accepted: one that is not understood is left out and explained in `errors`,
# as on the search page, so the parameters are plain strings here.
SEARCH_PARAMETERS = [
    OpenApiParameter(
        name,
        OpenApiTypes.STR,
        many=name in _LIST,
        description=words,
        required=False,
    )
    for name, words in _WORDS.items()
]


class CompanyPages(CursorPagination):
    page_size = 50
    ordering = "slug"


class OwnPages(PageNumberPagination):
    page_size = 50

    def get_page_number(self, request, paginator):
        # One whole page number: anything else is a page that is not there (as DRF answers a
        # page past the end), never silently page 1.
        values = request.query_params.getlist(self.page_query_param)
        if len(values) > 1 or (values and not values[0].isdigit()):
            raise NotFound("Give one page number, from 1 up.")
        return super().get_page_number(request, paginator)


# The board's public reads.


class RoleSearchView(APIView):
    permission_classes = [PublicRead]

    @extend_schema(
        operation_id="roles_search",
        summary="Search open roles, with the search page's parameters and meaning",
        parameters=SEARCH_PARAMETERS,
        responses={200: s.RoleSearchSerializer, **problems(401)},
        tags=["roles"],
    )
    def get(self, request: Request) -> Response:
        result = search_roles(request.query_params, user=request.user, cards=True)
        stats_count_search(request=request._request, role_ids=[card.pk for card in result.roles])
        base = request.build_absolute_uri(request.path)
        page = result.page
        body = {
            "count": result.count,
            "count_is_estimate": result.count_is_estimate,
            "sort": result.sort,
            "query": result.query,
            "next": f"{base}?{page.next_query}" if page.has_next else None,
            "previous": (
                (f"{base}?{page.previous_query}" if page.previous_query else base)
                if page.has_previous
                else None
            ),
            "messages": list(result.messages),
            "errors": {name: list(errors) for name, errors in result.errors.items()},
            "facets": {
                name: [option._asdict() for option in options]
                for name, options in result.facets.items()
            },
            "results": s.RoleSummarySerializer(
                result.roles, many=True, context={"request": request}
            ).data,
        }
        return Response(body)


class RoleDetailView(APIView):
    permission_classes = [PublicRead]

    @extend_schema(
        operation_id="roles_get",
        summary="A role with all its public fields and skills",
        responses={
            200: s.RoleSerializer,
            304: OpenApiResponse(description="Not modified."),
            **problems(401, 404),
        },
        tags=["roles"],
    )
    def get(self, request: Request, pk: int) -> Response:
        role = role_detail_get(pk=pk)
        if role is None or not access.can_view_role(request.user, role):
            raise NotFound("There is no role with that id.")
        return Response(s.RoleSerializer(role, context={"request": request}).data)


class CompanyListView(generics.ListAPIView):
    permission_classes = [PublicRead]
    serializer_class = s.CompanySerializer
    pagination_class = CompanyPages

    def get_queryset(self):
        return selectors.companies_listed()

    @extend_schema(
        operation_id="companies_list",
        responses={200: s.CompanySerializer(many=True), **problems(401, 404)},
        tags=["catalog"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CompanyDetailView(APIView):
    permission_classes = [PublicRead]

    @extend_schema(
        operation_id="companies_get",
        responses={200: s.CompanySerializer, **problems(401, 404)},
        tags=["catalog"],
    )
    def get(self, request: Request, slug: str) -> Response:
        company = company_get(slug=slug)
        if company is None:
            raise NotFound("There is no company with that slug.")
        return Response(s.CompanySerializer(company, context={"request": request}).data)


class IndustryListView(APIView):
    permission_classes = [PublicRead]

    @extend_schema(
        operation_id="industries_list",
        responses={200: s.IndustrySerializer(many=True), **problems(401)},
        tags=["catalog"],
    )
    def get(self, request: Request) -> Response:
        return Response(s.IndustrySerializer(selectors.industries_listed(), many=True).data)


class SkillListView(APIView):
    permission_classes = [PublicRead]

    @extend_schema(
        operation_id="skills_list",
        summary="The skill taxonomy, each skill with its aliases",
        responses={200: s.SkillSerializer(many=True), **problems(401)},
        tags=["catalog"],
    )
    def get(self, request: Request) -> Response:
        return Response(s.SkillSerializer(selectors.skills_listed(), many=True).data)


# Insights: the weekly series the insights pages draw, from the same rollups.


def _query(serializer_class, request: Request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class SkillTrendView(APIView):
    permission_classes = [PublicRead]

    @extend_schema(
        operation_id="skills_trend",
        summary="A skill's demand week by week: open and new postings asking for it, and shares",
        parameters=[s.TrendQuerySerializer],
        responses={200: s.SkillTrendSerializer, **problems(400, 401, 404)},
        tags=["insights"],
    )
    def get(self, request: Request, slug: str) -> Response:
        query = _query(s.TrendQuerySerializer, request)
        try:
            series = skill_series(slug, **query)
        except SeriesRequestError as error:
            raise ValidationError({error.field: [str(error)]}) from error
        if series is None:
            raise NotFound("There is no skill with that slug.")
        return Response(s.SkillTrendSerializer(series).data)


class RisingSkillsView(APIView):
    permission_classes = [PublicRead]

    @extend_schema(
        operation_id="insights_rising",
        summary="Skills whose new postings grew (or fell) most against the period before",
        parameters=[s.RisingQuerySerializer],
        responses={200: s.RisingSerializer, **problems(400, 401)},
        tags=["insights"],
    )
    def get(self, request: Request) -> Response:
        query = _query(s.RisingQuerySerializer, request)
        try:
            series = rising_series(
                industry=query["industry"],
                falling=query["direction"] == "falling",
                limit=query["limit"],
            )
        except SeriesRequestError as error:
            raise ValidationError({error.field: [str(error)]}) from error
        return Response(s.RisingSerializer(series).data)


# A token's own data.


class ProfileView(APIView):
    permission_classes = [TokenScope]

    @extend_schema(
        operation_id="me_profile",
        responses={200: s.ProfileSerializer, **problems(401, 403, 404)},
        tags=["me"],
    )
    def get(self, request: Request) -> Response:
        profile = developer_profile_for_edit(user=request.user)
        if profile is None:
            raise NotFound("You have no profile yet; make one at /me/profile/.")
        return Response(s.ProfileSerializer(profile).data)


class MatchListView(generics.ListAPIView):
    permission_classes = [TokenScope]
    serializer_class = s.MatchSerializer
    pagination_class = OwnPages

    def get_queryset(self):
        profile = developer_profile_for_edit(user=self.request.user)
        if profile is None:
            raise NotFound("You have no profile yet; make one at /me/profile/.")
        return match_list(profile=profile)

    @extend_schema(
        operation_id="me_matches",
        summary="Your matches, best first, each with why it matches",
        responses={200: s.MatchSerializer(many=True), **problems(401, 403, 404)},
        tags=["me"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SavedSearchListView(APIView):
    permission_classes = [TokenScope]

    @extend_schema(
        operation_id="me_saved_searches",
        responses={200: s.SavedSearchSerializer(many=True), **problems(401, 403)},
        tags=["me"],
    )
    def get(self, request: Request) -> Response:
        searches = saved_search_list(user=request.user)
        return Response(
            s.SavedSearchSerializer(searches, many=True, context={"request": request}).data
        )


def _tracker_user(request: Request):
    if not access.can_use_tracker(request.user):
        raise PermissionDenied("This account keeps no tracker.")
    return request.user


def _entry(request: Request, pk: int):
    opportunity = tracker_selectors.opportunity_detail(user=_tracker_user(request), pk=pk)
    if opportunity is None or not access.owns_tracked(request.user, opportunity):
        raise NotFound("There is no entry with that id in your tracker.")
    return opportunity


def _tracked(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(s.TrackedDetailSerializer(_entry(request, pk)).data, status=code)


class TrackerListView(generics.ListAPIView):
    permission_classes = [TokenScope]
    serializer_class = s.TrackedSerializer
    pagination_class = OwnPages

    def get_queryset(self):
        user = _tracker_user(self.request)
        return tracker_selectors.opportunities_of_user(user=user).order_by("-updated_at", "-id")

    @extend_schema(
        operation_id="me_tracker_list",
        responses={200: s.TrackedSerializer(many=True), **problems(401, 403, 404)},
        tags=["tracker"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="me_tracker_create",
        summary="Track a board role or one from elsewhere (an existing entry is returned)",
        request=s.TrackCreateSerializer,
        responses={
            200: s.TrackedDetailSerializer,
            201: s.TrackedDetailSerializer,
            **problems(400, 401, 403),
        },
        tags=["tracker"],
    )
    def post(self, request: Request) -> Response:
        user = _tracker_user(request)
        form = s.TrackCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        notes, stage = data.pop("notes", None), data.pop("stage", None)
        try:
            if "role_id" in data:
                found = tracker.opportunity_track_role(user=user, role=data["role_id"])
                if stage and found.created:
                    tracker.opportunity_move(
                        user=user, opportunity_id=found.opportunity.pk, stage=stage
                    )
            else:
                found = tracker.opportunity_create(user=user, stage=stage or "saved", **data)
            if notes is not None and found.created:
                tracker.opportunity_update(opportunity=found.opportunity, notes=notes)
        except tracker.TrackerError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from error
        code = status.HTTP_201_CREATED if found.created else status.HTTP_200_OK
        return _tracked(request, found.opportunity.pk, code)


class TrackerDetailView(APIView):
    permission_classes = [TokenScope]

    @extend_schema(
        operation_id="me_tracker_get",
        responses={200: s.TrackedDetailSerializer, **problems(401, 403, 404)},
        tags=["tracker"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return _tracked(request, pk)

    @extend_schema(
        operation_id="me_tracker_update",
        summary="Change an entry's details or notes",
        request=s.TrackUpdateSerializer,
        responses={200: s.TrackedDetailSerializer, **problems(400, 401, 403, 404)},
        tags=["tracker"],
    )
    def patch(self, request: Request, pk: int) -> Response:
        opportunity = _entry(request, pk)
        form = s.TrackUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            tracker.opportunity_update(opportunity=opportunity, **form.validated_data)
        except tracker.TrackerError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from error
        return _tracked(request, pk)


class TrackerMoveView(APIView):
    permission_classes = [TokenScope]

    @extend_schema(
        operation_id="me_tracker_move",
        summary="Move an entry to another stage, with an optional note in its history",
        request=s.TrackMoveSerializer,
        responses={200: s.TrackedDetailSerializer, **problems(400, 401, 403, 404)},
        tags=["tracker"],
    )
    def post(self, request: Request, pk: int) -> Response:
        user = _tracker_user(request)
        form = s.TrackMoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        moved = tracker.opportunity_move(user=user, opportunity_id=pk, **form.validated_data)
        if moved is None:
            raise NotFound("There is no entry with that id in your tracker.")
        return _tracked(request, pk)


# Recruiters: their companies' roles, through the posting services and the lifecycle table.

# The lifecycle steps a recruiter takes through the API, and the service that takes each.
HIRING_ACTIONS = {
    "submit": lambda role, user, data: posting.role_submit(role=role, by=user),
    "withdraw": lambda role, user, data: posting.role_withdraw(role=role, by=user),
    "close": lambda role, user, data: posting.role_close(role=role, by=user, filled=data["filled"]),
    "renew": lambda role, user, data: posting.role_renew(role=role, by=user),
}


def _role_actions(role) -> list[str]:
    return [name for name in actions_from(role.status, Actor.RECRUITER) if name in HIRING_ACTIONS]


class HiringRoleListView(generics.ListAPIView):
    permission_classes = [TokenScope]
    serializer_class = s.HiringRoleSerializer
    pagination_class = OwnPages

    def get_queryset(self):
        return (
            access.roles_of_recruiter(self.request.user)
            .select_related("company")
            .defer("search_vector", "search_head", "skill_text")
            .order_by("-created_at", "-id")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "actions": _role_actions}

    @extend_schema(
        operation_id="hiring_roles_list",
        summary="The roles of every company you recruit for, whatever their status",
        responses={200: s.HiringRoleSerializer(many=True), **problems(401, 403, 404)},
        tags=["hiring"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class HiringRoleActionView(APIView):
    permission_classes = [TokenScope]

    @extend_schema(
        operation_id="hiring_roles_act",
        summary="Take a lifecycle step: submit, withdraw, close or renew",
        parameters=[
            OpenApiParameter(
                "action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(HIRING_ACTIONS)
            )
        ],
        request=s.HiringActionSerializer,
        responses={200: s.HiringRoleSerializer, **problems(400, 401, 403, 404, 409)},
        tags=["hiring"],
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        step = HIRING_ACTIONS.get(action)
        role = access.editable_roles(request.user).filter(pk=pk).first()
        if step is None or role is None:
            raise NotFound("None of your companies' roles has that id, or no such step.")
        form = s.HiringActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            role = step(role, request.user, form.validated_data)
        except ValueError as error:
            return problem_response(status.HTTP_409_CONFLICT, str(error))
        context = {"request": request, "actions": _role_actions}
        return Response(s.HiringRoleSerializer(role, context=context).data)


class HiringStatsView(APIView):
    permission_classes = [TokenScope]

    @extend_schema(
        operation_id="hiring_stats",
        summary="Each of your roles' last 30 days: views, search appearances, applies, saves",
        responses={200: s.RoleStatsSerializer(many=True), **problems(401, 403)},
        tags=["hiring"],
    )
    def get(self, request: Request) -> Response:
        stats = role_stats_list(roles=access.roles_of_recruiter(request.user))
        return Response(s.RoleStatsSerializer(stats, many=True).data)


class ApiNotFoundView(APIView):
    """Any other address under /api/v1/: a 404 problem, like every other API error."""

    permission_classes = [PublicRead]
    schema = None

    def initial(self, request, *args, **kwargs):
        raise NotFound("There is nothing at this address; see /api/v1/docs/.")
