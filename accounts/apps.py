from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing up, logging in and out, and resetting a password."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
