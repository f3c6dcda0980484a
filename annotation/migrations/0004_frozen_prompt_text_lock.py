"""On PostgreSQL, refuse any change to the text of a frozen or retired prompt."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

LOCK_SQL = """
CREATE OR REPLACE FUNCTION annotation_prompt_reject_frozen_edit() RETURNS trigger AS $$
BEGIN
    IF OLD.status IN ('frozen', 'retired') AND NEW.text IS DISTINCT FROM OLD.text THEN
        RAISE EXCEPTION 'prompt % is %; its text cannot change', OLD.id, OLD.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.status = 'retired' AND NEW.status <> 'retired' THEN
        RAISE EXCEPTION 'prompt % is retired for good', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER annotation_prompt_frozen_text
    BEFORE UPDATE ON annotation_prompt
    FOR EACH ROW EXECUTE FUNCTION annotation_prompt_reject_frozen_edit();
"""

UNLOCK_SQL = """
DROP TRIGGER IF EXISTS annotation_prompt_frozen_text ON annotation_prompt;
DROP FUNCTION IF EXISTS annotation_prompt_reject_frozen_edit();
"""


def lock(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LOCK_SQL, params=None)


def unlock(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNLOCK_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("annotation", "0003_comparisonbatch_closed_by_and_more")]

    operations = [migrations.RunPython(lock, unlock)]
