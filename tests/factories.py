import factory
from rest_framework.authtoken.models import Token

from community.models import User

PASSWORD = "correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


def token_for(user: User) -> str:
    token, _ = Token.objects.get_or_create(user=user)
    return token.key
