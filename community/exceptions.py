from rest_framework import status

from config.exceptions import DomainError


class UsernameTakenError(DomainError):
    code = "username_taken"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "That username is already taken."


class InvalidCredentialsError(DomainError):
    code = "invalid_credentials"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Username or password is wrong."


class WeakPasswordError(DomainError):
    code = "weak_password"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The password is too weak."
