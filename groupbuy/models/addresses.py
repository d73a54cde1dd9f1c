"""Members' delivery addresses (PRODUCT.md §4): an address book, one default per member."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Address(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    name = models.CharField(max_length=32)
    # A mainland mobile number, stored as 11 digits (validated and normalised by the service).
    phone = models.CharField(max_length=11)
    region = models.CharField(max_length=64)
    detail = models.CharField(max_length=200)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="address_one_default"
            )
        ]
        indexes = [models.Index(fields=["user", "-is_default", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.name} {self.region} {self.detail}"
