# Issue #7 part C: resignation or removal of the trustee (§4.2) and Holders' applications to
# communicate (TIA §312(b)), with their audit trail; operations copied from makemigrations.

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


def roles_refresh(apps, schema_editor):
    """Give the roles their permissions on the new models (trustee.roles.PREPARED)."""
    from trustee.roles import groups_ensure

    groups_ensure(apps, refresh=True)


class Migration(migrations.Migration):
    dependencies = [
        ("holders", "0005_import_speed"),
        ("notices", "0004_notice_kinds_standing"),
        ("pghistory", "0007_auto_20250421_0444"),
        ("trustee", "0011_standing"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HolderApplicant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="amount held"
                    ),
                ),
                ("holding_since", models.DateField()),
                ("eligible", models.BooleanField()),
                ("problem", models.CharField(blank=True, max_length=200)),
                (
                    "on_latest_list",
                    models.BooleanField(
                        help_text="Found by name on the latest List of Holders (empty: no list).",
                        null=True,
                    ),
                ),
            ],
            options={
                "ordering": ["application", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HolderApplication",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("received", "Received: election due"),
                            ("late", "Late: no election by the deadline"),
                            ("access_given", "Access to the List of Holders given"),
                            ("estimate_sent", "Mailing estimate sent: awaiting tender"),
                            ("cost_tendered", "Cost tendered: mailing to prepare"),
                            ("mailing_drafted", "Mailing awaiting approval"),
                            ("mailed", "Mailed to the Holders"),
                        ],
                        default="received",
                        max_length=20,
                    ),
                ),
                ("received_on", models.DateField()),
                ("election_due_on", models.DateField()),
                (
                    "communication",
                    models.TextField(help_text="The proxy or other communication proposed."),
                ),
                (
                    "communication_file",
                    models.FileField(
                        blank=True, max_length=255, upload_to="holder-applications/%Y/%m/"
                    ),
                ),
                (
                    "election",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("access", "Access to the List of Holders (§312(b)(1))"),
                            ("mailing_estimate", "Number of Holders and cost (§312(b)(2))"),
                        ],
                        max_length=20,
                    ),
                ),
                ("elected_on", models.DateField(blank=True, null=True)),
                ("access_given_on", models.DateField(blank=True, null=True)),
                ("holder_count", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "cost_per_holder",
                    models.DecimalField(blank=True, decimal_places=4, max_digits=10, null=True),
                ),
                (
                    "estimated_cost",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True),
                ),
                ("tendered_on", models.DateField(blank=True, null=True)),
                (
                    "tendered_amount",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True),
                ),
                ("mailed_on", models.DateField(blank=True, null=True)),
                ("escalations", models.PositiveSmallIntegerField(default=0)),
                ("last_escalated_on", models.DateField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="holder_applications",
                        to="trustee.agreement",
                    ),
                ),
                (
                    "elected_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "event",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="holder_application",
                        to="trustee.agreementevent",
                    ),
                ),
                (
                    "holder_list",
                    models.ForeignKey(
                        blank=True,
                        help_text="The latest List of Holders when it was received (applicants matched to it).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="holders.holderlist",
                    ),
                ),
                (
                    "notice",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="notices.notice",
                    ),
                ),
                (
                    "obligation",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="holder_application",
                        to="trustee.obligation",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "security",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="trustee.security",
                    ),
                ),
            ],
            options={
                "ordering": ["-received_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="HolderApplicantHistory",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                ("name", models.CharField(max_length=200)),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, verbose_name="amount held"
                    ),
                ),
                ("holding_since", models.DateField()),
                ("eligible", models.BooleanField()),
                ("problem", models.CharField(blank=True, max_length=200)),
                (
                    "on_latest_list",
                    models.BooleanField(
                        help_text="Found by name on the latest List of Holders (empty: no list).",
                        null=True,
                    ),
                ),
                (
                    "pgh_context",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pghistory.context",
                    ),
                ),
                (
                    "pgh_obj",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="history",
                        related_query_name="history",
                        to="trustee.holderapplicant",
                    ),
                ),
                (
                    "application",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.holderapplication",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="holderapplicant",
            name="application",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="applicants",
                to="trustee.holderapplication",
            ),
        ),
        migrations.CreateModel(
            name="HolderApplicationHistory",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("received", "Received: election due"),
                            ("late", "Late: no election by the deadline"),
                            ("access_given", "Access to the List of Holders given"),
                            ("estimate_sent", "Mailing estimate sent: awaiting tender"),
                            ("cost_tendered", "Cost tendered: mailing to prepare"),
                            ("mailing_drafted", "Mailing awaiting approval"),
                            ("mailed", "Mailed to the Holders"),
                        ],
                        default="received",
                        max_length=20,
                    ),
                ),
                ("received_on", models.DateField()),
                ("election_due_on", models.DateField()),
                (
                    "communication",
                    models.TextField(help_text="The proxy or other communication proposed."),
                ),
                (
                    "communication_file",
                    models.FileField(
                        blank=True, max_length=255, upload_to="holder-applications/%Y/%m/"
                    ),
                ),
                (
                    "election",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("access", "Access to the List of Holders (§312(b)(1))"),
                            ("mailing_estimate", "Number of Holders and cost (§312(b)(2))"),
                        ],
                        max_length=20,
                    ),
                ),
                ("elected_on", models.DateField(blank=True, null=True)),
                ("access_given_on", models.DateField(blank=True, null=True)),
                ("holder_count", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "cost_per_holder",
                    models.DecimalField(blank=True, decimal_places=4, max_digits=10, null=True),
                ),
                (
                    "estimated_cost",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True),
                ),
                ("tendered_on", models.DateField(blank=True, null=True)),
                (
                    "tendered_amount",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True),
                ),
                ("mailed_on", models.DateField(blank=True, null=True)),
                ("escalations", models.PositiveSmallIntegerField(default=0)),
                ("last_escalated_on", models.DateField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "agreement",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.agreement",
                    ),
                ),
                (
                    "elected_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.agreementevent",
                    ),
                ),
                (
                    "holder_list",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The latest List of Holders when it was received (applicants matched to it).",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="holders.holderlist",
                    ),
                ),
                (
                    "notice",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="notices.notice",
                    ),
                ),
                (
                    "obligation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.obligation",
                    ),
                ),
                (
                    "pgh_context",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pghistory.context",
                    ),
                ),
                (
                    "pgh_obj",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="history",
                        related_query_name="history",
                        to="trustee.holderapplication",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "security",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.security",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Succession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("resignation", "Resignation (§4.2(c))"),
                            ("removal", "Removal (§4.2(a))"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("delivered", "Delivered: successor window running"),
                            ("successor_appointed", "Successor appointed: acceptance awaited"),
                            (
                                "petition_open",
                                "No successor in time: may petition a court (§4.2(d))",
                            ),
                            ("petitioned", "Court petitioned for a successor"),
                            ("accepted", "Successor accepted: effective"),
                        ],
                        default="delivered",
                        max_length=20,
                    ),
                ),
                (
                    "delivered_on",
                    models.DateField(help_text="The instrument delivered to the Guarantor."),
                ),
                (
                    "holders_notified_on",
                    models.DateField(
                        blank=True,
                        help_text="The notice delivered to the Holders and the Guarantor (where the window runs from it).",
                        null=True,
                    ),
                ),
                ("instrument_reference", models.CharField(blank=True, max_length=200)),
                ("reason", models.TextField(blank=True)),
                (
                    "removed_by",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("guarantor", "The Guarantor (§4.2(a))"),
                            ("holders", "The Holders, by an act of the majority"),
                        ],
                        max_length=20,
                    ),
                ),
                ("window_starts_on", models.DateField(blank=True, null=True)),
                (
                    "window_ends_on",
                    models.DateField(
                        blank=True,
                        help_text="The last day for a successor to be appointed and accept.",
                        null=True,
                    ),
                ),
                ("successor_name", models.CharField(blank=True, max_length=200)),
                ("successor_appointed_on", models.DateField(blank=True, null=True)),
                ("appointment_reference", models.CharField(blank=True, max_length=200)),
                ("successor_accepted_on", models.DateField(blank=True, null=True)),
                ("acceptance_reference", models.CharField(blank=True, max_length=200)),
                (
                    "effective_on",
                    models.DateField(
                        blank=True,
                        help_text="The day the trustee's duties under the agreement end.",
                        null=True,
                    ),
                ),
                ("petitioned_on", models.DateField(blank=True, null=True)),
                ("petition_court", models.CharField(blank=True, max_length=200)),
                ("escalations", models.PositiveSmallIntegerField(default=0)),
                ("last_escalated_on", models.DateField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="successions",
                        to="trustee.agreement",
                    ),
                ),
                (
                    "appointed_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "event",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="succession",
                        to="trustee.agreementevent",
                    ),
                ),
                (
                    "obligation",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="succession",
                        to="trustee.obligation",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "solicitation",
                    models.ForeignKey(
                        blank=True,
                        help_text="The Holders' vote, for a removal by the Holders.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="holders.solicitation",
                    ),
                ),
            ],
            options={
                "ordering": ["-delivered_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SuccessionHistory",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("resignation", "Resignation (§4.2(c))"),
                            ("removal", "Removal (§4.2(a))"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("delivered", "Delivered: successor window running"),
                            ("successor_appointed", "Successor appointed: acceptance awaited"),
                            (
                                "petition_open",
                                "No successor in time: may petition a court (§4.2(d))",
                            ),
                            ("petitioned", "Court petitioned for a successor"),
                            ("accepted", "Successor accepted: effective"),
                        ],
                        default="delivered",
                        max_length=20,
                    ),
                ),
                (
                    "delivered_on",
                    models.DateField(help_text="The instrument delivered to the Guarantor."),
                ),
                (
                    "holders_notified_on",
                    models.DateField(
                        blank=True,
                        help_text="The notice delivered to the Holders and the Guarantor (where the window runs from it).",
                        null=True,
                    ),
                ),
                ("instrument_reference", models.CharField(blank=True, max_length=200)),
                ("reason", models.TextField(blank=True)),
                (
                    "removed_by",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("guarantor", "The Guarantor (§4.2(a))"),
                            ("holders", "The Holders, by an act of the majority"),
                        ],
                        max_length=20,
                    ),
                ),
                ("window_starts_on", models.DateField(blank=True, null=True)),
                (
                    "window_ends_on",
                    models.DateField(
                        blank=True,
                        help_text="The last day for a successor to be appointed and accept.",
                        null=True,
                    ),
                ),
                ("successor_name", models.CharField(blank=True, max_length=200)),
                ("successor_appointed_on", models.DateField(blank=True, null=True)),
                ("appointment_reference", models.CharField(blank=True, max_length=200)),
                ("successor_accepted_on", models.DateField(blank=True, null=True)),
                ("acceptance_reference", models.CharField(blank=True, max_length=200)),
                (
                    "effective_on",
                    models.DateField(
                        blank=True,
                        help_text="The day the trustee's duties under the agreement end.",
                        null=True,
                    ),
                ),
                ("petitioned_on", models.DateField(blank=True, null=True)),
                ("petition_court", models.CharField(blank=True, max_length=200)),
                ("escalations", models.PositiveSmallIntegerField(default=0)),
                ("last_escalated_on", models.DateField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "agreement",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.agreement",
                    ),
                ),
                (
                    "appointed_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.agreementevent",
                    ),
                ),
                (
                    "obligation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.obligation",
                    ),
                ),
                (
                    "pgh_context",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pghistory.context",
                    ),
                ),
                (
                    "pgh_obj",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="history",
                        related_query_name="history",
                        to="trustee.succession",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "solicitation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The Holders' vote, for a removal by the Holders.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="holders.solicitation",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.AddIndex(
            model_name="holderapplication",
            index=models.Index(
                condition=models.Q(("state__in", ["received", "late"])),
                fields=["election_due_on"],
                name="holder_application_waiting",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="holderapplication",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_holderapplicationhistory" ("access_given_on", "agreement_id", "communication", "communication_file", "cost_per_holder", "elected_by_id", "elected_on", "election", "election_due_on", "escalations", "estimated_cost", "event_id", "holder_count", "holder_list_id", "id", "last_escalated_on", "mailed_on", "notice_id", "obligation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_on", "recorded_by_id", "security_id", "state", "tendered_amount", "tendered_on", "updated_at") VALUES (NEW."access_given_on", NEW."agreement_id", NEW."communication", NEW."communication_file", NEW."cost_per_holder", NEW."elected_by_id", NEW."elected_on", NEW."election", NEW."election_due_on", NEW."escalations", NEW."estimated_cost", NEW."event_id", NEW."holder_count", NEW."holder_list_id", NEW."id", NEW."last_escalated_on", NEW."mailed_on", NEW."notice_id", NEW."obligation_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."received_on", NEW."recorded_by_id", NEW."security_id", NEW."state", NEW."tendered_amount", NEW."tendered_on", NEW."updated_at"); RETURN NULL;',
                    hash="968c4a92dbc12f0d7f7b2452ce32358c5fb83ba9",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_19b06",
                    table="trustee_holderapplication",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="holderapplication",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "trustee_holderapplicationhistory" ("access_given_on", "agreement_id", "communication", "communication_file", "cost_per_holder", "elected_by_id", "elected_on", "election", "election_due_on", "escalations", "estimated_cost", "event_id", "holder_count", "holder_list_id", "id", "last_escalated_on", "mailed_on", "notice_id", "obligation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_on", "recorded_by_id", "security_id", "state", "tendered_amount", "tendered_on", "updated_at") VALUES (NEW."access_given_on", NEW."agreement_id", NEW."communication", NEW."communication_file", NEW."cost_per_holder", NEW."elected_by_id", NEW."elected_on", NEW."election", NEW."election_due_on", NEW."escalations", NEW."estimated_cost", NEW."event_id", NEW."holder_count", NEW."holder_list_id", NEW."id", NEW."last_escalated_on", NEW."mailed_on", NEW."notice_id", NEW."obligation_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."received_on", NEW."recorded_by_id", NEW."security_id", NEW."state", NEW."tendered_amount", NEW."tendered_on", NEW."updated_at"); RETURN NULL;',
                    hash="cc9833902ac1d3d2e87e8276c4fdc9b7be54a2e1",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_00004",
                    table="trustee_holderapplication",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="holderapplication",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_holderapplicationhistory" ("access_given_on", "agreement_id", "communication", "communication_file", "cost_per_holder", "elected_by_id", "elected_on", "election", "election_due_on", "escalations", "estimated_cost", "event_id", "holder_count", "holder_list_id", "id", "last_escalated_on", "mailed_on", "notice_id", "obligation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_on", "recorded_by_id", "security_id", "state", "tendered_amount", "tendered_on", "updated_at") VALUES (OLD."access_given_on", OLD."agreement_id", OLD."communication", OLD."communication_file", OLD."cost_per_holder", OLD."elected_by_id", OLD."elected_on", OLD."election", OLD."election_due_on", OLD."escalations", OLD."estimated_cost", OLD."event_id", OLD."holder_count", OLD."holder_list_id", OLD."id", OLD."last_escalated_on", OLD."mailed_on", OLD."notice_id", OLD."obligation_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."received_on", OLD."recorded_by_id", OLD."security_id", OLD."state", OLD."tendered_amount", OLD."tendered_on", OLD."updated_at"); RETURN NULL;',
                    hash="cc61588f17d4494e04764abc71d5cd505c988ae0",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_b5857",
                    table="trustee_holderapplication",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="holderapplicanthistory",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="d3978710781beb3e9d89bc208198c5cb7baa3040",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_ce28c",
                    table="trustee_holderapplicanthistory",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="holderapplicant",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_holderapplicanthistory" ("amount", "application_id", "eligible", "holding_since", "id", "name", "on_latest_list", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "problem") VALUES (NEW."amount", NEW."application_id", NEW."eligible", NEW."holding_since", NEW."id", NEW."name", NEW."on_latest_list", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."problem"); RETURN NULL;',
                    hash="0005008fbebf4ecc9c719df2192a76dfa70573b1",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_46ce9",
                    table="trustee_holderapplicant",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="holderapplicant",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "trustee_holderapplicanthistory" ("amount", "application_id", "eligible", "holding_since", "id", "name", "on_latest_list", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "problem") VALUES (NEW."amount", NEW."application_id", NEW."eligible", NEW."holding_since", NEW."id", NEW."name", NEW."on_latest_list", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."problem"); RETURN NULL;',
                    hash="8e37b17bb8d12431c9d5286cf3984b29bf297e66",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_6ffcd",
                    table="trustee_holderapplicant",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="holderapplicant",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_holderapplicanthistory" ("amount", "application_id", "eligible", "holding_since", "id", "name", "on_latest_list", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "problem") VALUES (OLD."amount", OLD."application_id", OLD."eligible", OLD."holding_since", OLD."id", OLD."name", OLD."on_latest_list", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."problem"); RETURN NULL;',
                    hash="dcc58866197d7aa2ebb93cd683bef04e551425e0",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_d7d6d",
                    table="trustee_holderapplicant",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="holderapplicationhistory",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="c2097ebe24742de7c4aa6fd23c0b5f2989b48153",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_7237f",
                    table="trustee_holderapplicationhistory",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.AddIndex(
            model_name="succession",
            index=models.Index(
                condition=models.Q(("state__in", ["delivered", "successor_appointed"])),
                fields=["window_ends_on"],
                name="succession_watched",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="succession",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_successionhistory" ("acceptance_reference", "agreement_id", "appointed_recorded_by_id", "appointment_reference", "delivered_on", "effective_on", "escalations", "event_id", "holders_notified_on", "id", "instrument_reference", "kind", "last_escalated_on", "obligation_id", "petition_court", "petitioned_on", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "recorded_by_id", "removed_by", "solicitation_id", "state", "successor_accepted_on", "successor_appointed_on", "successor_name", "updated_at", "window_ends_on", "window_starts_on") VALUES (NEW."acceptance_reference", NEW."agreement_id", NEW."appointed_recorded_by_id", NEW."appointment_reference", NEW."delivered_on", NEW."effective_on", NEW."escalations", NEW."event_id", NEW."holders_notified_on", NEW."id", NEW."instrument_reference", NEW."kind", NEW."last_escalated_on", NEW."obligation_id", NEW."petition_court", NEW."petitioned_on", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reason", NEW."recorded_by_id", NEW."removed_by", NEW."solicitation_id", NEW."state", NEW."successor_accepted_on", NEW."successor_appointed_on", NEW."successor_name", NEW."updated_at", NEW."window_ends_on", NEW."window_starts_on"); RETURN NULL;',
                    hash="fe19ebc78df3c562af383e3492bbc85815ae7e89",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_4b761",
                    table="trustee_succession",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="succession",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "trustee_successionhistory" ("acceptance_reference", "agreement_id", "appointed_recorded_by_id", "appointment_reference", "delivered_on", "effective_on", "escalations", "event_id", "holders_notified_on", "id", "instrument_reference", "kind", "last_escalated_on", "obligation_id", "petition_court", "petitioned_on", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "recorded_by_id", "removed_by", "solicitation_id", "state", "successor_accepted_on", "successor_appointed_on", "successor_name", "updated_at", "window_ends_on", "window_starts_on") VALUES (NEW."acceptance_reference", NEW."agreement_id", NEW."appointed_recorded_by_id", NEW."appointment_reference", NEW."delivered_on", NEW."effective_on", NEW."escalations", NEW."event_id", NEW."holders_notified_on", NEW."id", NEW."instrument_reference", NEW."kind", NEW."last_escalated_on", NEW."obligation_id", NEW."petition_court", NEW."petitioned_on", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reason", NEW."recorded_by_id", NEW."removed_by", NEW."solicitation_id", NEW."state", NEW."successor_accepted_on", NEW."successor_appointed_on", NEW."successor_name", NEW."updated_at", NEW."window_ends_on", NEW."window_starts_on"); RETURN NULL;',
                    hash="4482a7dd72265c1b5687881b539941b01a8766df",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_abbe2",
                    table="trustee_succession",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="succession",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_successionhistory" ("acceptance_reference", "agreement_id", "appointed_recorded_by_id", "appointment_reference", "delivered_on", "effective_on", "escalations", "event_id", "holders_notified_on", "id", "instrument_reference", "kind", "last_escalated_on", "obligation_id", "petition_court", "petitioned_on", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "recorded_by_id", "removed_by", "solicitation_id", "state", "successor_accepted_on", "successor_appointed_on", "successor_name", "updated_at", "window_ends_on", "window_starts_on") VALUES (OLD."acceptance_reference", OLD."agreement_id", OLD."appointed_recorded_by_id", OLD."appointment_reference", OLD."delivered_on", OLD."effective_on", OLD."escalations", OLD."event_id", OLD."holders_notified_on", OLD."id", OLD."instrument_reference", OLD."kind", OLD."last_escalated_on", OLD."obligation_id", OLD."petition_court", OLD."petitioned_on", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."reason", OLD."recorded_by_id", OLD."removed_by", OLD."solicitation_id", OLD."state", OLD."successor_accepted_on", OLD."successor_appointed_on", OLD."successor_name", OLD."updated_at", OLD."window_ends_on", OLD."window_starts_on"); RETURN NULL;',
                    hash="bb343610c4d85df79795781add2a89d15b8a61db",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_10b7f",
                    table="trustee_succession",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="successionhistory",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="ec20371fadfb7c4b37cc245fad928fcac5a36524",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_9e566",
                    table="trustee_successionhistory",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.RunPython(roles_refresh, migrations.RunPython.noop),
    ]
