from django.db import migrations

from community.services.loyalty import seed_loyalty_defaults


def seed(apps, schema_editor):
    seed_loyalty_defaults(
        apps.get_model("community", "TierBenefit"), apps.get_model("community", "TaskDefinition")
    )


def invite_codes(apps, schema_editor):
    import secrets

    User = apps.get_model("community", "User")
    for user in User.objects.filter(invite_code__isnull=True):
        user.invite_code = secrets.token_hex(5).upper()
        user.save(update_fields=["invite_code"])


class Migration(migrations.Migration):
    dependencies = [("community", "0002_loyalty_social_notifications")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(invite_codes, migrations.RunPython.noop),
    ]
