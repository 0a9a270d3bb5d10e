"""The Curators group: staff who keep the taxonomy, companies, roles and sources tidy."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import transaction

CURATORS_GROUP = "Curators"

# model name -> actions. Profiles are private and users/groups are the admins' business,
# so neither appears here; curators see who recruits for a company (by name) but do not
# add members, which would mean picking users by id.
CURATOR_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "industry": ("view", "add", "change", "delete"),
    "skill": ("view", "add", "change", "delete"),
    "skillalias": ("view", "add", "change", "delete"),
    "unknownskillterm": ("view", "add", "change", "delete"),
    "company": ("view", "add", "change"),
    "companymembership": ("view",),
    "role": ("view", "change"),
    "source": ("view", "add", "change"),
    "ingestrun": ("view",),
    # Developers' reports of roles: curators read them and mark them resolved.
    "rolereport": ("view", "change"),
    # Dated exchange rates the insights convert salaries with.
    "exchangerate": ("view", "add", "change", "delete"),
}


def curators_group_sync(*, apps=global_apps):
    """Create the Curators group or reset its permissions to exactly CURATOR_PERMISSIONS."""
    # In a fresh database the post_migrate signal that creates permissions has not run yet.
    app_config = apps.get_app_config("opportunities")
    if getattr(app_config, "models_module", None) is None:
        # Historical app registries (data migrations) leave this unset, and create_permissions
        # skips such apps.
        app_config.models_module = True
        try:
            create_permissions(app_config, verbosity=0, apps=apps)
        finally:
            app_config.models_module = None
    else:
        create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # A data migration sees the models as they stood then: permissions of models added later
    # are granted by the migration that adds them.
    existing = {model._meta.model_name for model in app_config.get_models()}
    codenames = [
        f"{action}_{model}"
        for model, actions in CURATOR_PERMISSIONS.items()
        if model in existing
        for action in actions
    ]
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
        permissions = list(
            Permission.objects.filter(
                content_type__app_label="opportunities", codename__in=codenames
            )
        )
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise RuntimeError(f"Permissions missing for the Curators group: {sorted(missing)}")
        group.permissions.set(permissions)
    return group
