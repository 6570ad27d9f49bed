"""Give the staff roles (Django groups) their permissions; called from data migrations.

Each app's migration grants what its own models need, so every fresh database has complete roles.
"""

from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
MODERATORS = "Moderators"
REPORTERS = "Reporters"
SITE_MANAGERS = "Site managers"  # the newsroom's policy (newsportal.models.SiteSettings)


def grant(apps, group_name, app_label, codenames):
    """Add the permissions `app_label.<codename>` to the group, creating group and permissions as needed."""
    app_config = apps.get_app_config(app_label)
    # Permissions are normally created after all migrations; create them now so they can be granted.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*permissions)


def staff_name(user) -> str:
    """Return a staff member as colleagues know them: their full name, else their username."""
    return user.get_full_name() or user.get_username()
