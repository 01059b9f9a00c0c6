# Issue #7 part B: payments on the securities, the trustee's eligibility (§4.1(a), (b)) and
# conflicting interests (§4.1(c), TIA §310(b)), with their audit trail; operations copied from
# makemigrations (only this part's models), kept in sequence after 0010.

from decimal import Decimal

import django.core.validators
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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("notices", "0004_notice_kinds_standing"),
        ("pghistory", "0007_auto_20250421_0444"),
        ("trustee", "0010_deliverables"),
    ]

    operations = [
        migrations.CreateModel(
            name="AffiliationFact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "is_affiliate",
                    models.BooleanField(verbose_name="the bank is an Affiliate of the Guarantor"),
                ),
                ("note", models.TextField(help_text="What the determination rests on.")),
                ("recorded_on", models.DateField()),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="affiliation_facts",
                        to="trustee.agreement",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["agreement", "-recorded_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="AffiliationFactHistory",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "is_affiliate",
                    models.BooleanField(verbose_name="the bank is an Affiliate of the Guarantor"),
                ),
                ("note", models.TextField(help_text="What the determination rests on.")),
                ("recorded_on", models.DateField()),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
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
                        to="trustee.affiliationfact",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="BankCondition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("report_date", models.DateField(help_text="The date of the report of condition.")),
                (
                    "capital_surplus",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=18,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                        verbose_name="combined capital and surplus",
                    ),
                ),
                (
                    "charter",
                    models.CharField(
                        choices=[
                            ("national_bank", "National bank"),
                            ("state_bank", "State chartered bank"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "rating_category",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="1 is the highest rating category; empty where no securities are rated.",
                        null=True,
                    ),
                ),
                ("rating_agency", models.CharField(blank=True, max_length=80)),
                (
                    "source_reference",
                    models.CharField(
                        help_text="e.g. FFIEC Call Report, Schedule RC, with its date.",
                        max_length=200,
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[("entered", "Entered: not checked"), ("checked", "Checked")],
                        default="entered",
                        max_length=20,
                    ),
                ),
                ("entered_at", models.DateTimeField(auto_now_add=True)),
                ("checked_on", models.DateField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "entered_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-report_date", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="BankConditionHistory",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                ("report_date", models.DateField(help_text="The date of the report of condition.")),
                (
                    "capital_surplus",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=18,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                        verbose_name="combined capital and surplus",
                    ),
                ),
                (
                    "charter",
                    models.CharField(
                        choices=[
                            ("national_bank", "National bank"),
                            ("state_bank", "State chartered bank"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "rating_category",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="1 is the highest rating category; empty where no securities are rated.",
                        null=True,
                    ),
                ),
                ("rating_agency", models.CharField(blank=True, max_length=80)),
                (
                    "source_reference",
                    models.CharField(
                        help_text="e.g. FFIEC Call Report, Schedule RC, with its date.",
                        max_length=200,
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[("entered", "Entered: not checked"), ("checked", "Checked")],
                        default="entered",
                        max_length=20,
                    ),
                ),
                ("entered_at", models.DateTimeField(auto_now_add=True)),
                ("checked_on", models.DateField(blank=True, null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "entered_by",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to=settings.AUTH_USER_MODEL,
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
                        to="trustee.bankcondition",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="ConflictCase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "ascertained_on",
                    models.DateField(help_text="The day the trustee ascertained it."),
                ),
                ("description", models.TextField()),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("recorded", "Recorded: not in default, no clock"),
                            ("clock_running", "In default: eliminate or resign"),
                            ("notice_due", "Not eliminated in time: notice due"),
                            ("notice_drafted", "Notice awaiting approval"),
                            ("noticed", "Holders notified (TIA §310(b)(ii))"),
                            ("eliminated", "Eliminated"),
                            ("resigned", "Trustee resigned"),
                        ],
                        default="recorded",
                        max_length=20,
                    ),
                ),
                ("clock_from", models.DateField(blank=True, null=True)),
                ("eliminate_by", models.DateField(blank=True, null=True)),
                ("notice_by", models.DateField(blank=True, null=True)),
                ("closed_on", models.DateField(blank=True, null=True)),
                ("closing_note", models.TextField(blank=True)),
                (
                    "problem",
                    models.TextField(
                        blank=True,
                        help_text="Why the sweep could not start the clock (escalated once).",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conflict_cases",
                        to="trustee.agreement",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conflict_cases",
                        to="trustee.agreementevent",
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
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-ascertained_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ConflictCaseHistory",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "ascertained_on",
                    models.DateField(help_text="The day the trustee ascertained it."),
                ),
                ("description", models.TextField()),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("recorded", "Recorded: not in default, no clock"),
                            ("clock_running", "In default: eliminate or resign"),
                            ("notice_due", "Not eliminated in time: notice due"),
                            ("notice_drafted", "Notice awaiting approval"),
                            ("noticed", "Holders notified (TIA §310(b)(ii))"),
                            ("eliminated", "Eliminated"),
                            ("resigned", "Trustee resigned"),
                        ],
                        default="recorded",
                        max_length=20,
                    ),
                ),
                ("clock_from", models.DateField(blank=True, null=True)),
                ("eliminate_by", models.DateField(blank=True, null=True)),
                ("notice_by", models.DateField(blank=True, null=True)),
                ("closed_on", models.DateField(blank=True, null=True)),
                ("closing_note", models.TextField(blank=True)),
                (
                    "problem",
                    models.TextField(
                        blank=True,
                        help_text="Why the sweep could not start the clock (escalated once).",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
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
                        to="trustee.conflictcase",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="EligibilityResult",
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
                            ("eligible", "Eligible"),
                            ("ineligible", "Not eligible: the trustee must resign (§4.1(b))"),
                            ("incomplete", "Incomplete: a fact or term is missing"),
                            ("resigning", "Resignation started (§4.1(b))"),
                            ("superseded", "Superseded by a later report"),
                        ],
                        max_length=20,
                    ),
                ),
                ("reasons", models.JSONField(default=list)),
                ("checked_on", models.DateField()),
                ("note", models.TextField(blank=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="eligibility_results",
                        to="trustee.agreement",
                    ),
                ),
                (
                    "condition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="results",
                        to="trustee.bankcondition",
                    ),
                ),
            ],
            options={
                "ordering": ["-condition__report_date", "agreement"],
            },
        ),
        migrations.CreateModel(
            name="EligibilityResultHistory",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("eligible", "Eligible"),
                            ("ineligible", "Not eligible: the trustee must resign (§4.1(b))"),
                            ("incomplete", "Incomplete: a fact or term is missing"),
                            ("resigning", "Resignation started (§4.1(b))"),
                            ("superseded", "Superseded by a later report"),
                        ],
                        max_length=20,
                    ),
                ),
                ("reasons", models.JSONField(default=list)),
                ("checked_on", models.DateField()),
                ("note", models.TextField(blank=True)),
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
                    "condition",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.bankcondition",
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
                        to="trustee.eligibilityresult",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Payment",
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
                        choices=[("payment", "Interest / distribution"), ("maturity", "Maturity")],
                        max_length=20,
                    ),
                ),
                (
                    "due_on",
                    models.DateField(help_text="The obligation's due date (kept in step with it)."),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("expected", "Expected"),
                            ("paid", "Paid in full on time"),
                            ("defaulted", "Short: payment default opened"),
                            ("paid_late", "Paid in full after the default"),
                            ("not_required", "Not required (reason recorded)"),
                        ],
                        default="expected",
                        max_length=20,
                    ),
                ),
                (
                    "expected_amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, editable=False, max_digits=18, null=True
                    ),
                ),
                ("expected_basis", models.TextField(blank=True, editable=False)),
                (
                    "override_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=18,
                        null=True,
                        verbose_name="amount set by an officer",
                    ),
                ),
                ("override_reason", models.TextField(blank=True)),
                (
                    "received_amount",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0"),
                        max_digits=18,
                        verbose_name="received in all",
                    ),
                ),
                (
                    "problem",
                    models.TextField(
                        blank=True, help_text="Why the sweep could not act (escalated once)."
                    ),
                ),
                ("closed_on", models.DateField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="payments",
                        to="trustee.agreement",
                    ),
                ),
                (
                    "default_case",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="payment",
                        to="trustee.defaultcase",
                    ),
                ),
                (
                    "obligation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="payment",
                        to="trustee.obligation",
                    ),
                ),
                (
                    "override_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "security",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="payments",
                        to="trustee.security",
                    ),
                ),
            ],
            options={
                "ordering": ["-due_on", "agreement"],
            },
        ),
        migrations.CreateModel(
            name="PaymentHistory",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[("payment", "Interest / distribution"), ("maturity", "Maturity")],
                        max_length=20,
                    ),
                ),
                (
                    "due_on",
                    models.DateField(help_text="The obligation's due date (kept in step with it)."),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("expected", "Expected"),
                            ("paid", "Paid in full on time"),
                            ("defaulted", "Short: payment default opened"),
                            ("paid_late", "Paid in full after the default"),
                            ("not_required", "Not required (reason recorded)"),
                        ],
                        default="expected",
                        max_length=20,
                    ),
                ),
                (
                    "expected_amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, editable=False, max_digits=18, null=True
                    ),
                ),
                ("expected_basis", models.TextField(blank=True, editable=False)),
                (
                    "override_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=18,
                        null=True,
                        verbose_name="amount set by an officer",
                    ),
                ),
                ("override_reason", models.TextField(blank=True)),
                (
                    "received_amount",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0"),
                        max_digits=18,
                        verbose_name="received in all",
                    ),
                ),
                (
                    "problem",
                    models.TextField(
                        blank=True, help_text="Why the sweep could not act (escalated once)."
                    ),
                ),
                ("closed_on", models.DateField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
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
                    "default_case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.defaultcase",
                    ),
                ),
                (
                    "obligation",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.obligation",
                    ),
                ),
                (
                    "override_by",
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
                        to="trustee.payment",
                    ),
                ),
                (
                    "security",
                    models.ForeignKey(
                        db_constraint=False,
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
            name="PaymentReceipt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=18,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                    ),
                ),
                ("received_on", models.DateField()),
                (
                    "received_from",
                    models.CharField(
                        choices=[
                            ("paying_agent", "Paying agent"),
                            ("guarantor", "Guarantor"),
                            ("issuer", "Issuer"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "reference",
                    models.CharField(
                        blank=True, help_text="Wire or advice number.", max_length=120
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "payment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="receipts",
                        to="trustee.payment",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["payment", "received_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PaymentReceiptHistory",
            fields=[
                ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                ("pgh_label", models.TextField(help_text="The event label.")),
                ("id", models.BigIntegerField()),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=18,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                    ),
                ),
                ("received_on", models.DateField()),
                (
                    "received_from",
                    models.CharField(
                        choices=[
                            ("paying_agent", "Paying agent"),
                            ("guarantor", "Guarantor"),
                            ("issuer", "Issuer"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "reference",
                    models.CharField(
                        blank=True, help_text="Wire or advice number.", max_length=120
                    ),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "payment",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="trustee.payment",
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
                        to="trustee.paymentreceipt",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="affiliationfact",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_affiliationfacthistory" ("agreement_id", "id", "is_affiliate", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "recorded_on") VALUES (NEW."agreement_id", NEW."id", NEW."is_affiliate", NEW."note", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."recorded_on"); RETURN NULL;',
                    hash="c49dc4a7901e422e1f97b8e56bdfd35a3a72ba4a",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_d3121",
                    table="trustee_affiliationfact",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="affiliationfact",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "trustee_affiliationfacthistory" ("agreement_id", "id", "is_affiliate", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "recorded_on") VALUES (NEW."agreement_id", NEW."id", NEW."is_affiliate", NEW."note", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."recorded_on"); RETURN NULL;',
                    hash="1e45ad72bd80050a367aae27c08648f8986f13ec",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_672d7",
                    table="trustee_affiliationfact",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="affiliationfact",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_affiliationfacthistory" ("agreement_id", "id", "is_affiliate", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "recorded_on") VALUES (OLD."agreement_id", OLD."id", OLD."is_affiliate", OLD."note", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."recorded_at", OLD."recorded_by_id", OLD."recorded_on"); RETURN NULL;',
                    hash="9f0a68f99127b77b0d19f0f454bcda31db5f2659",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_28c12",
                    table="trustee_affiliationfact",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="affiliationfacthistory",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="baefa74f34457688dd02e32d9b17169ab33ef5b2",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_d0824",
                    table="trustee_affiliationfacthistory",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="bankcondition",
            constraint=models.CheckConstraint(
                condition=models.Q(("capital_surplus__gte", 0)), name="bank_capital_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="bankcondition",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rating_category__isnull", True), ("rating_category__gte", 1), _connector="OR"
                ),
                name="bank_rating_from_one",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="bankcondition",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_bankconditionhistory" ("capital_surplus", "charter", "checked_on", "entered_at", "entered_by_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "rating_agency", "rating_category", "report_date", "source_reference", "state", "updated_at") VALUES (NEW."capital_surplus", NEW."charter", NEW."checked_on", NEW."entered_at", NEW."entered_by_id", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."rating_agency", NEW."rating_category", NEW."report_date", NEW."source_reference", NEW."state", NEW."updated_at"); RETURN NULL;',
                    hash="b670350f8ad06e4228ae316b39a41478f29c5111",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_421e4",
                    table="trustee_bankcondition",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="bankcondition",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "trustee_bankconditionhistory" ("capital_surplus", "charter", "checked_on", "entered_at", "entered_by_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "rating_agency", "rating_category", "report_date", "source_reference", "state", "updated_at") VALUES (NEW."capital_surplus", NEW."charter", NEW."checked_on", NEW."entered_at", NEW."entered_by_id", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."rating_agency", NEW."rating_category", NEW."report_date", NEW."source_reference", NEW."state", NEW."updated_at"); RETURN NULL;',
                    hash="a3f3be36f4bac2e21f7f05937799d002e956e838",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_741f5",
                    table="trustee_bankcondition",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="bankcondition",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_bankconditionhistory" ("capital_surplus", "charter", "checked_on", "entered_at", "entered_by_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "rating_agency", "rating_category", "report_date", "source_reference", "state", "updated_at") VALUES (OLD."capital_surplus", OLD."charter", OLD."checked_on", OLD."entered_at", OLD."entered_by_id", OLD."id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."rating_agency", OLD."rating_category", OLD."report_date", OLD."source_reference", OLD."state", OLD."updated_at"); RETURN NULL;',
                    hash="46c873b5a646001edd7626aa19e544ad670551b6",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_a3df6",
                    table="trustee_bankcondition",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="bankconditionhistory",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="7e98dacbde526fd1ef343a8eaf4f6150844bd054",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_79b9c",
                    table="trustee_bankconditionhistory",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.AddIndex(
            model_name="conflictcase",
            index=models.Index(
                condition=models.Q(("state__in", ["recorded", "clock_running"])),
                fields=["agreement"],
                name="conflict_open",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="conflictcase",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_conflictcasehistory" ("agreement_id", "ascertained_on", "clock_from", "closed_on", "closing_note", "created_at", "description", "eliminate_by", "event_id", "id", "notice_by", "notice_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "problem", "recorded_by_id", "state", "updated_at") VALUES (NEW."agreement_id", NEW."ascertained_on", NEW."clock_from", NEW."closed_on", NEW."closing_note", NEW."created_at", NEW."description", NEW."eliminate_by", NEW."event_id", NEW."id", NEW."notice_by", NEW."notice_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."problem", NEW."recorded_by_id", NEW."state", NEW."updated_at"); RETURN NULL;',
                    hash="3791421b99eccf7bf4c6fc6b808aff0c10e39812",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_2dfc5",
                    table="trustee_conflictcase",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="conflictcase",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "trustee_conflictcasehistory" ("agreement_id", "ascertained_on", "clock_from", "closed_on", "closing_note", "created_at", "description", "eliminate_by", "event_id", "id", "notice_by", "notice_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "problem", "recorded_by_id", "state", "updated_at") VALUES (NEW."agreement_id", NEW."ascertained_on", NEW."clock_from", NEW."closed_on", NEW."closing_note", NEW."created_at", NEW."description", NEW."eliminate_by", NEW."event_id", NEW."id", NEW."notice_by", NEW."notice_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."problem", NEW."recorded_by_id", NEW."state", NEW."updated_at"); RETURN NULL;',
                    hash="682e6064aa9b926bfe2065300acd881ce5cb9f1d",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_76d8f",
                    table="trustee_conflictcase",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="conflictcase",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_conflictcasehistory" ("agreement_id", "ascertained_on", "clock_from", "closed_on", "closing_note", "created_at", "description", "eliminate_by", "event_id", "id", "notice_by", "notice_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "problem", "recorded_by_id", "state", "updated_at") VALUES (OLD."agreement_id", OLD."ascertained_on", OLD."clock_from", OLD."closed_on", OLD."closing_note", OLD."created_at", OLD."description", OLD."eliminate_by", OLD."event_id", OLD."id", OLD."notice_by", OLD."notice_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."problem", OLD."recorded_by_id", OLD."state", OLD."updated_at"); RETURN NULL;',
                    hash="a3d3e9075b34faf840fae2f9e3469600c4802c3f",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_96b8e",
                    table="trustee_conflictcase",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="conflictcasehistory",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="2c024b7096d5b9f265d7634596462b486ccaacba",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_a1702",
                    table="trustee_conflictcasehistory",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.AddIndex(
            model_name="eligibilityresult",
            index=models.Index(
                condition=models.Q(("state", "ineligible")),
                fields=["agreement"],
                name="eligibility_flagged",
            ),
        ),
        migrations.AddConstraint(
            model_name="eligibilityresult",
            constraint=models.UniqueConstraint(
                fields=("condition", "agreement"), name="one_result_per_condition_agreement"
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="eligibilityresult",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_eligibilityresulthistory" ("agreement_id", "checked_on", "condition_id", "id", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reasons", "state", "updated_at") VALUES (NEW."agreement_id", NEW."checked_on", NEW."condition_id", NEW."id", NEW."note", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reasons", NEW."state", NEW."updated_at"); RETURN NULL;',
                    hash="3485f81cdb3427d22e2796ac776cc7c206ebb700",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_69176",
                    table="trustee_eligibilityresult",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="eligibilityresult",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "trustee_eligibilityresulthistory" ("agreement_id", "checked_on", "condition_id", "id", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reasons", "state", "updated_at") VALUES (NEW."agreement_id", NEW."checked_on", NEW."condition_id", NEW."id", NEW."note", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reasons", NEW."state", NEW."updated_at"); RETURN NULL;',
                    hash="6adbcf7a663f8ab5fd7d4dd42fa8cc944992010c",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_b5c20",
                    table="trustee_eligibilityresult",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="eligibilityresult",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_eligibilityresulthistory" ("agreement_id", "checked_on", "condition_id", "id", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reasons", "state", "updated_at") VALUES (OLD."agreement_id", OLD."checked_on", OLD."condition_id", OLD."id", OLD."note", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."reasons", OLD."state", OLD."updated_at"); RETURN NULL;',
                    hash="28454d086c3300fbc2471fb043cb707ebe629cae",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_4f1ef",
                    table="trustee_eligibilityresult",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="eligibilityresulthistory",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="3f697fdf3a0619ff67708fcf448e7911a71e67ac",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_0b206",
                    table="trustee_eligibilityresulthistory",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                condition=models.Q(("state", "expected")),
                fields=["due_on"],
                name="payment_expected",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="payment",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_paymenthistory" ("agreement_id", "closed_on", "created_at", "default_case_id", "due_on", "expected_amount", "expected_basis", "id", "kind", "obligation_id", "override_amount", "override_by_id", "override_reason", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "problem", "received_amount", "security_id", "state", "updated_at") VALUES (NEW."agreement_id", NEW."closed_on", NEW."created_at", NEW."default_case_id", NEW."due_on", NEW."expected_amount", NEW."expected_basis", NEW."id", NEW."kind", NEW."obligation_id", NEW."override_amount", NEW."override_by_id", NEW."override_reason", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."problem", NEW."received_amount", NEW."security_id", NEW."state", NEW."updated_at"); RETURN NULL;',
                    hash="c08afcf8aabe7d39791f4ab1435e8c2327a0ec89",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_9f2f6",
                    table="trustee_payment",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="payment",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "trustee_paymenthistory" ("agreement_id", "closed_on", "created_at", "default_case_id", "due_on", "expected_amount", "expected_basis", "id", "kind", "obligation_id", "override_amount", "override_by_id", "override_reason", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "problem", "received_amount", "security_id", "state", "updated_at") VALUES (NEW."agreement_id", NEW."closed_on", NEW."created_at", NEW."default_case_id", NEW."due_on", NEW."expected_amount", NEW."expected_basis", NEW."id", NEW."kind", NEW."obligation_id", NEW."override_amount", NEW."override_by_id", NEW."override_reason", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."problem", NEW."received_amount", NEW."security_id", NEW."state", NEW."updated_at"); RETURN NULL;',
                    hash="c5c1a2ad0fd54be43c1411b1a9c057d21050c250",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_18fea",
                    table="trustee_payment",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="payment",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_paymenthistory" ("agreement_id", "closed_on", "created_at", "default_case_id", "due_on", "expected_amount", "expected_basis", "id", "kind", "obligation_id", "override_amount", "override_by_id", "override_reason", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "problem", "received_amount", "security_id", "state", "updated_at") VALUES (OLD."agreement_id", OLD."closed_on", OLD."created_at", OLD."default_case_id", OLD."due_on", OLD."expected_amount", OLD."expected_basis", OLD."id", OLD."kind", OLD."obligation_id", OLD."override_amount", OLD."override_by_id", OLD."override_reason", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."problem", OLD."received_amount", OLD."security_id", OLD."state", OLD."updated_at"); RETURN NULL;',
                    hash="6397e5f6decc3c31dfad66dd3ad5a6b437114fbc",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_68320",
                    table="trustee_payment",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="paymenthistory",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="d56e2af216424f1ed9f3fd1d1a062b6e456806e5",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_7eef9",
                    table="trustee_paymenthistory",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentreceipt",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gt", 0)), name="receipt_amount_positive"
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="paymentreceipt",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_paymentreceipthistory" ("amount", "id", "payment_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_from", "received_on", "recorded_at", "recorded_by_id", "reference") VALUES (NEW."amount", NEW."id", NEW."payment_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."received_from", NEW."received_on", NEW."recorded_at", NEW."recorded_by_id", NEW."reference"); RETURN NULL;',
                    hash="57cfb51d60f79d92b465cd28173c4708de55629f",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_0a58f",
                    table="trustee_paymentreceipt",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="paymentreceipt",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "trustee_paymentreceipthistory" ("amount", "id", "payment_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_from", "received_on", "recorded_at", "recorded_by_id", "reference") VALUES (NEW."amount", NEW."id", NEW."payment_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."received_from", NEW."received_on", NEW."recorded_at", NEW."recorded_by_id", NEW."reference"); RETURN NULL;',
                    hash="479603b55f7ec07902e707f59b0c299456de32c9",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_914f7",
                    table="trustee_paymentreceipt",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="paymentreceipt",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "trustee_paymentreceipthistory" ("amount", "id", "payment_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_from", "received_on", "recorded_at", "recorded_by_id", "reference") VALUES (OLD."amount", OLD."id", OLD."payment_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."received_from", OLD."received_on", OLD."recorded_at", OLD."recorded_by_id", OLD."reference"); RETURN NULL;',
                    hash="42fdc30924ccf0096d879f29b2044f39358b3e94",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_3e185",
                    table="trustee_paymentreceipt",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="paymentreceipthistory",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="7539b7be1e5deaba22f16163e8d31cfdc23cb153",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_7f277",
                    table="trustee_paymentreceipthistory",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.RunPython(roles_refresh, migrations.RunPython.noop),
    ]
