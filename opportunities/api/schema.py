"""The OpenAPI description's house rules: bearer tokens, public reads, problem responses."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from opportunities.api.permissions import PublicRead
from opportunities.api.problems import PROBLEM_TYPE
from opportunities.api.serializers import ProblemSerializer

_MEANINGS = {
    400: "Values that are not valid (see errors).",
    401: "A token was needed, or the one sent is not valid or was revoked.",
    403: "The token may not do this (a read token writing, or not a recruiter's).",
    404: "Not found, or not yours to see.",
    409: "The role's lifecycle does not allow that step from its status.",
    429: "Too many requests; Retry-After says when to try again.",
}


def problems(*codes: int) -> dict:
    """Problem responses for these statuses, plus 429 (every endpoint is throttled)."""
    return {
        (code, PROBLEM_TYPE): OpenApiResponse(ProblemSerializer, description=_MEANINGS[code])
        for code in sorted({*codes, 429})
    }


class ApiSchema(AutoSchema):
    def get_auth(self):
        """Public reads take a token but need none: the empty requirement says so."""
        auths = super().get_auth()
        public = any(isinstance(p, PublicRead) for p in self.view.get_permissions())
        if public and {} not in auths:
            auths.append({})
        return auths


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "opportunities.api.authentication.BearerTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from /me/api-tokens/ (read, or read-write).",
        }
