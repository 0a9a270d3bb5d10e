"""The opportunity tracker, and every saved match moved into it as a "saved" entry.

Saving a match and tracking a role are one concept from here on: each saved match becomes a
tracked board role whose history starts with "saved" on the day the match was last changed.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

BATCH = 1000


def saved_matches_to_tracker(apps, schema_editor):
    """One tracked entry per saved match whose developer does not track the role already."""
    Match = apps.get_model("opportunities", "Match")
    Tracked = apps.get_model("opportunities", "TrackedOpportunity")
    StageChange = apps.get_model("opportunities", "StageChange")
    saved = (
        Match.objects.filter(saved=True).select_related("profile", "role__company").order_by("id")
    )
    tracked = set(Tracked.objects.filter(role__isnull=False).values_list("user_id", "role_id"))
    batch: list = []
    for match in saved.iterator(chunk_size=BATCH):
        key = (match.profile.user_id, match.role_id)
        if key in tracked:
            continue
        tracked.add(key)
        batch.append(match)
        if len(batch) >= BATCH:
            _create(Tracked, StageChange, batch)
            batch = []
    _create(Tracked, StageChange, batch)


def _create(Tracked, StageChange, matches) -> None:
    if not matches:
        return
    entries = Tracked.objects.bulk_create(
        [
            Tracked(
                user_id=match.profile.user_id,
                role_id=match.role_id,
                title=match.role.title[:300],
                company_name=match.role.company.name[:200],
                location=", ".join(
                    part
                    for part in (match.role.city, match.role.region, match.role.country)
                    if part
                )[:200],
                source="board",
                stage="saved",
                stage_changed_at=match.updated_at,
            )
            for match in matches
        ]
    )
    StageChange.objects.bulk_create(
        [
            StageChange(
                opportunity_id=entry.pk,
                stage="saved",
                at=entry.stage_changed_at,
                note="Saved from your matches",
            )
            for entry in entries
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0019_source_kind_hn"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TrackedOpportunity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("title", models.CharField(max_length=300)),
                ("company_name", models.CharField(max_length=200)),
                ("url", models.URLField(blank=True, max_length=2000)),
                ("url_key", models.CharField(blank=True, max_length=2000)),
                ("location", models.CharField(blank=True, max_length=200)),
                ("description_html", models.TextField(blank=True)),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("board", "This board"),
                            ("referral", "Referral"),
                            ("other_site", "Another site"),
                        ],
                        default="board",
                        max_length=20,
                    ),
                ),
                (
                    "source_name",
                    models.CharField(blank=True, help_text="Who or which site.", max_length=200),
                ),
                ("tags", models.CharField(blank=True, max_length=500)),
                ("salary_offered", models.CharField(blank=True, max_length=100)),
                ("next_step", models.CharField(blank=True, max_length=300)),
                ("next_step_due", models.DateField(blank=True, null=True)),
                ("cv_sent", models.CharField(blank=True, max_length=500)),
                ("cover_letter_sent", models.CharField(blank=True, max_length=500)),
                ("notes", models.TextField(blank=True)),
                ("notes_html", models.TextField(blank=True)),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("saved", "Saved"),
                            ("applied", "Applied"),
                            ("interviewing", "Interviewing"),
                            ("offer", "Offer"),
                            ("accepted", "Accepted"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
                            ("no_answer", "No answer"),
                        ],
                        default="saved",
                        max_length=20,
                    ),
                ),
                ("stage_changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("applied_at", models.DateTimeField(blank=True, null=True)),
                (
                    "role",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="tracked_by",
                        to="opportunities.role",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tracked_opportunities",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "tracked opportunities",
                "ordering": ["-stage_changed_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="StageChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("saved", "Saved"),
                            ("applied", "Applied"),
                            ("interviewing", "Interviewing"),
                            ("offer", "Offer"),
                            ("accepted", "Accepted"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
                            ("no_answer", "No answer"),
                        ],
                        max_length=20,
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("note", models.CharField(blank=True, max_length=500)),
                (
                    "opportunity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stage_changes",
                        to="opportunities.trackedopportunity",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="InterviewRound",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("screen", "Screening call"),
                            ("technical", "Technical"),
                            ("take_home", "Take-home task"),
                            ("system_design", "System design"),
                            ("behavioural", "Behavioural"),
                            ("onsite", "On-site"),
                            ("final", "Final"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=20,
                    ),
                ),
                ("with_whom", models.CharField(blank=True, max_length=300)),
                ("notes", models.TextField(blank=True)),
                (
                    "opportunity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="interviews",
                        to="opportunities.trackedopportunity",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Contact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("role_title", models.CharField(blank=True, max_length=200, verbose_name="role")),
                ("email", models.EmailField(blank=True, max_length=254)),
                (
                    "profile_url",
                    models.URLField(blank=True, max_length=500, verbose_name="profile link"),
                ),
                (
                    "opportunity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contacts",
                        to="opportunities.trackedopportunity",
                    ),
                ),
            ],
            options={
                "ordering": ["name", "id"],
            },
        ),
        migrations.CreateModel(
            name="TrackerCalendar",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tracker_calendar",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="TrackerReminder",
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
                        choices=[("due", "Next step due"), ("quiet", "No news")], max_length=10
                    ),
                ),
                ("about", models.CharField(max_length=40)),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "opportunity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="opportunities.trackedopportunity",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="trackedopportunity",
            index=models.Index(
                fields=["user", "stage", "-stage_changed_at"], name="tracked_user_stage"
            ),
        ),
        migrations.AddIndex(
            model_name="trackedopportunity",
            index=models.Index(fields=["user", "-stage_changed_at"], name="tracked_user_changed"),
        ),
        migrations.AddConstraint(
            model_name="trackedopportunity",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role__isnull", False)),
                fields=("user", "role"),
                name="tracked_user_role_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="trackedopportunity",
            constraint=models.UniqueConstraint(
                condition=models.Q(("url_key", ""), _negated=True),
                fields=("user", "url_key"),
                name="tracked_user_url_unique",
            ),
        ),
        migrations.AddIndex(
            model_name="stagechange",
            index=models.Index(fields=["opportunity", "at"], name="stagechange_opp_at"),
        ),
        migrations.AddConstraint(
            model_name="trackerreminder",
            constraint=models.UniqueConstraint(
                fields=("opportunity", "kind", "about"), name="trackerreminder_unique"
            ),
        ),
        migrations.RunPython(saved_matches_to_tracker, migrations.RunPython.noop, elidable=True),
    ]
