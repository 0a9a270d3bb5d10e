"""Raw SQL helpers shared by the services that write in bulk."""

from __future__ import annotations

from django.db import connection


def bound_cursor():
    """A psycopg cursor on the current connection that sends parameters apart from the SQL
    (server-side binding). Django's own cursor binds client-side: it quotes every value into
    the statement in Python, which for arrays of hundreds of long strings (descriptions, match
    explanations) costs milliseconds per statement and holds the GIL. PostgreSQL only; it
    shares the connection's transaction."""
    connection.ensure_connection()
    return connection.connection.cursor()
