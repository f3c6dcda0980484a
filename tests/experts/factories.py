from datetime import timedelta

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from experts.models import (
    ApprovalStatus,
    Domain,
    DomainApplication,
    DomainApproval,
    ExpertProfile,
    GoldItem,
    QualificationTest,
)
from experts.roles import staff_group_ensure
from seal_platform.verdict import Verdict

TEST_PASSWORD = "correct-horse-battery-staple-42"


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda number: f"domain-{number}")
    name = factory.LazyAttribute(lambda domain: domain.slug.replace("-", " ").title())


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda number: f"user{number}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class StaffUserFactory(UserFactory):
    username = factory.Sequence(lambda number: f"staff{number}")

    @factory.post_generation
    def in_staff_group(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.groups.add(staff_group_ensure())


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda profile: profile.user.username.title())


class DomainApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DomainApplication

    applicant = factory.SubFactory(UserFactory)
    domain = factory.SubFactory(DomainFactory)
    statement = "Ten years of professional practice in this field."


class DomainApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DomainApproval

    expert = factory.SubFactory(UserFactory)
    domain = factory.SubFactory(DomainFactory)
    status = ApprovalStatus.ACTIVE
    approved_by = factory.SubFactory(StaffUserFactory)
    approved_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=365))


class QualificationTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualificationTest

    domain = factory.SubFactory(DomainFactory)
    item_count = 4
    pass_mark = 0.75
    max_attempts = 2
    wait_between_attempts = timedelta(days=14)


class GoldItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoldItem

    test = factory.SubFactory(QualificationTestFactory)
    prompt_text = factory.Sequence(lambda number: f"Gold prompt {number}: explain recursion.")
    response_a_text = "A clear, correct explanation with an example."
    response_b_text = "An explanation with a factual error."
    correct_verdict = Verdict.A_BETTER
