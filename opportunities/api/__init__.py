"""The public REST API under /api/v1/ and the personal access tokens that open its private parts."""
