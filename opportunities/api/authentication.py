"""Personal access tokens as `Authorization: Bearer <token>`; nothing else signs a request in."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from opportunities.api.selectors import api_token_by_secret
from opportunities.api.services import api_token_touch


class BearerTokenAuthentication(BaseAuthentication):
    """The user of a live token; a request without one is anonymous (public reads only)."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the token as “Authorization: Bearer <token>”.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed("That token is not valid.") from error
        token = api_token_by_secret(secret)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed("That token is not valid, or it was revoked.")
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Present, so a missing or bad token answers 401 rather than 403.
        return 'Bearer realm="api"'
