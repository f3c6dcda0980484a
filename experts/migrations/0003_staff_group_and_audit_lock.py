"""Create the staff group, and on PostgreSQL make the audit trail append-only."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

AUDIT_LOCK_SQL = """
CREATE OR REPLACE FUNCTION experts_auditentry_reject_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries cannot be changed or deleted (entry %)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER experts_auditentry_append_only
    BEFORE UPDATE OR DELETE ON experts_auditentry
    FOR EACH ROW EXECUTE FUNCTION experts_auditentry_reject_change();
"""

AUDIT_UNLOCK_SQL = """
DROP TRIGGER IF EXISTS experts_auditentry_append_only ON experts_auditentry;
DROP FUNCTION IF EXISTS experts_auditentry_reject_change();
"""


def create_staff_group(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.get_or_create(name="staff")
    group.permissions.add(
        permission_model.objects.get(
            content_type__app_label="experts", codename="decide_application"
        )
    )


def lock_audit_trail(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(AUDIT_LOCK_SQL, params=None)


def unlock_audit_trail(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(AUDIT_UNLOCK_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0002_golditem_auditentry_domainapplication_credential_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_staff_group, migrations.RunPython.noop),
        migrations.RunPython(lock_audit_trail, unlock_audit_trail),
    ]
