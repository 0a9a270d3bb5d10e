"""factory_boy factories for the domain; each builds a valid, realistic row."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from opportunities import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Industry
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Industry {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Skill
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    category = models.SkillCategory.TECHNIQUE


class SkillAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SkillAlias

    skill = factory.SubFactory(SkillFactory)
    name = factory.Sequence(lambda n: f"alias{n}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Company
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example.com")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CompanyMembership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    name = factory.Sequence(lambda n: f"Source {n}")
    kind = models.SourceKind.GREENHOUSE
    location = factory.Sequence(lambda n: f"https://boards.example.com/v1/boards/b{n}/jobs")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Role
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Machine Learning Engineer {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    company = factory.SubFactory(CompanyFactory)
    industry = factory.SubFactory(IndustryFactory)
    description = "<p>Build retrieval-augmented generation systems.</p>"
    workplace = models.Workplace.REMOTE
    status = models.Role.Status.PUBLISHED
    posted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        """RoleFactory(skills=[skill, ...]) adds them as required skills."""
        if create and extracted:
            for skill in extracted:
                models.RoleSkill.objects.create(role=obj, skill=skill)
            # Writers of RoleSkill rows refresh the role's search columns (docs/search.md).
            from opportunities.catalog.skill_columns import roles_reindex

            roles_reindex(role_ids=[obj.pk])
            obj.refresh_from_db(fields=["skill_ids", "skill_text"])


class DeveloperProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DeveloperProfile

    user = factory.SubFactory(UserFactory)
    headline = "Applied ML engineer"
