"""Seeding the taxonomy and merging skills (opportunities/services/taxonomy.py)."""

from __future__ import annotations

import pytest

from opportunities.catalog.taxonomy import skill_merge, taxonomy_seed
from opportunities.models import Industry, ProfileSkill, RoleSkill, Skill, SkillAlias
from tests import factories

pytestmark = pytest.mark.django_db

DATA = {
    "industries": [
        {
            "slug": "healthcare-medicine",
            "name": "Healthcare & Medicine",
            "description": "Clinical and hospital AI.",
            "keywords": ["clinical", "hospital"],
        },
        {"slug": "legal", "name": "Legal", "description": "Law firms.", "keywords": ["contract"]},
    ],
    "skills": [
        {"slug": "pytorch", "name": "PyTorch", "category": "framework", "aliases": ["torch"]},
        {
            "slug": "large-language-models",
            "name": "Large Language Models",
            "category": "model",
            "aliases": ["LLM", "LLMs"],
        },
        {
            "slug": "go",
            "name": "Go",
            "category": "language",
            "aliases": ["Golang"],
            "match_name": False,
        },
    ],
}


def _counts() -> tuple[int, int, int]:
    return Industry.objects.count(), Skill.objects.count(), SkillAlias.objects.count()


def test_seed_creates_industries_skills_and_aliases():
    report = taxonomy_seed(data=DATA)

    assert (report.industries_created, report.skills_created, report.aliases_created) == (2, 3, 4)
    assert _counts() == (2, 3, 4)
    assert Skill.objects.get(slug="pytorch").aliases.get().name == "torch"
    assert Skill.objects.get(slug="go").match_name is False
    assert Industry.objects.get(slug="legal").keywords == ["contract"]


def test_seed_twice_creates_nothing_the_second_time():
    taxonomy_seed(data=DATA)
    before = _counts()

    report = taxonomy_seed(data=DATA)

    assert report.created == 0
    assert (report.industries_existing, report.skills_existing, report.aliases_existing) == (
        2,
        3,
        4,
    )
    assert _counts() == before


def test_curators_edits_survive_reseeding():
    taxonomy_seed(data=DATA)
    skill = Skill.objects.get(slug="pytorch")
    skill.name, skill.category, skill.active = "PyTorch 2", "technique", False
    skill.save()
    Industry.objects.filter(slug="legal").update(description="Curated text.", active=False)
    SkillAlias.objects.filter(name="LLMs").delete()

    taxonomy_seed(data=DATA)

    skill.refresh_from_db()
    assert (skill.name, skill.category, skill.active) == ("PyTorch 2", "technique", False)
    legal = Industry.objects.get(slug="legal")
    assert (legal.description, legal.active) == ("Curated text.", False)
    # A deleted alias is missing again, so it comes back; that is creation, not an update.
    assert SkillAlias.objects.filter(name="LLMs").exists()


def test_merged_skill_is_not_resurrected_and_its_aliases_stay_with_the_target():
    taxonomy_seed(data=DATA)
    torch = Skill.objects.get(slug="pytorch")
    llm = Skill.objects.get(slug="large-language-models")
    skill_merge(source=torch, target=llm)

    report = taxonomy_seed(data=DATA)

    torch.refresh_from_db()
    assert torch.merged_into == llm
    assert torch.active is False
    assert report.skills_merged_skipped == 1
    assert report.created == 0
    assert set(llm.aliases.values_list("name", flat=True)) == {"LLM", "LLMs", "torch", "PyTorch"}
    assert not Skill.objects.active().filter(slug="pytorch").exists()


def test_seed_does_not_readd_an_alias_that_now_belongs_to_another_skill():
    taxonomy_seed(data=DATA)
    llm = Skill.objects.get(slug="large-language-models")
    SkillAlias.objects.filter(name="torch").update(skill=llm)

    report = taxonomy_seed(data=DATA)

    assert report.aliases_taken == 1
    assert SkillAlias.objects.get(name__iexact="torch").skill == llm


def _role_with(skills: dict) -> object:
    role = factories.RoleFactory()
    for skill, kind in skills.items():
        RoleSkill.objects.create(role=role, skill=skill, kind=kind)
    return role


def _profile_with(skills: dict) -> object:
    profile = factories.DeveloperProfileFactory()
    for skill, (level, years) in skills.items():
        ProfileSkill.objects.create(profile=profile, skill=skill, level=level, years=years)
    return profile


def test_merge_moves_every_role_and_profile_link():
    source = factories.SkillFactory(name="torch (old)")
    target = factories.SkillFactory(name="PyTorch")
    only_source = _role_with({source: "nice"})
    only_target = _role_with({target: "required"})
    profile = _profile_with({source: ("expert", 4)})

    skill_merge(source=source, target=target)

    assert RoleSkill.objects.get(role=only_source).skill == target
    assert RoleSkill.objects.get(role=only_source).kind == "nice"
    assert RoleSkill.objects.get(role=only_target).skill == target
    assert ProfileSkill.objects.get(profile=profile).skill == target
    assert not RoleSkill.objects.filter(skill=source).exists()
    assert not ProfileSkill.objects.filter(skill=source).exists()
    only_source.refresh_from_db()
    assert only_source.skill_ids == [target.pk]
    assert only_source.skill_text == "PyTorch"


@pytest.mark.parametrize(
    ("source_kind", "target_kind", "kept"),
    [
        ("required", "nice", "required"),
        ("nice", "required", "required"),
        ("nice", "nice", "nice"),
        ("required", "required", "required"),
    ],
)
def test_merge_on_a_role_with_both_skills_keeps_one_link_and_the_stronger_kind(
    source_kind, target_kind, kept
):
    source = factories.SkillFactory(name="LLMs")
    target = factories.SkillFactory(name="Large Language Models")
    role = _role_with({source: source_kind, target: target_kind})

    skill_merge(source=source, target=target)

    links = RoleSkill.objects.filter(role=role)
    assert [(link.skill, link.kind) for link in links] == [(target, kept)]


def test_merge_on_a_profile_with_both_skills_keeps_the_higher_level_and_most_years():
    source = factories.SkillFactory(name="GANs")
    target = factories.SkillFactory(name="Generative Adversarial Networks")
    expert_in_source = _profile_with({source: ("expert", 2), target: ("learning", 5)})
    expert_in_target = _profile_with({source: ("working", 6), target: ("expert", 1)})

    skill_merge(source=source, target=target)

    first = ProfileSkill.objects.get(profile=expert_in_source)
    assert (first.skill, first.level, first.years) == (target, "expert", 5)
    second = ProfileSkill.objects.get(profile=expert_in_target)
    assert (second.skill, second.level, second.years) == (target, "expert", 6)


def test_merge_moves_aliases_and_adds_the_source_name_as_alias():
    source = factories.SkillFactory(name="Torch")
    SkillAlias.objects.create(skill=source, name="torch2")
    target = factories.SkillFactory(name="PyTorch")

    skill_merge(source=source, target=target)

    assert set(target.aliases.values_list("name", flat=True)) == {"torch2", "Torch"}
    source.refresh_from_db()
    assert (source.active, source.merged_into) == (False, target)


def test_merge_does_not_add_the_source_name_when_an_alias_already_has_it():
    source = factories.SkillFactory(name="GAN")
    target = factories.SkillFactory(name="Generative Adversarial Networks")
    SkillAlias.objects.create(skill=target, name="gan")

    skill_merge(source=source, target=target)

    assert list(target.aliases.values_list("name", flat=True)) == ["gan"]


def test_merge_into_itself_is_refused():
    skill = factories.SkillFactory(name="RAG")

    with pytest.raises(ValueError, match="into itself"):
        skill_merge(source=skill, target=skill)


def test_merge_into_a_merged_skill_is_refused():
    a, b, c = (factories.SkillFactory(name=n) for n in ("A", "B", "C"))
    skill_merge(source=b, target=c)
    b.refresh_from_db()

    with pytest.raises(ValueError, match="was itself merged"):
        skill_merge(source=a, target=b)
    assert Skill.objects.get(pk=a.pk).merged_into is None


def test_earlier_merges_follow_the_source_to_its_new_target():
    a, b, c = (factories.SkillFactory(name=n) for n in ("A", "B", "C"))
    skill_merge(source=a, target=b)

    skill_merge(source=b, target=c)

    assert Skill.objects.get(pk=a.pk).merged_into_id == c.pk
