"""Fulfilment: an order's shipment and its tracking steps."""

from django.db import models

from groupbuy.models.orders import Order


class Shipment(models.Model):
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="shipment")
    carrier = models.CharField(max_length=40)
    tracking_number = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)


class TrackingStatus(models.TextChoices):
    SHIPPED = "shipped", "Handed to the carrier"
    IN_TRANSIT = "in_transit", "In transit"
    OUT_FOR_DELIVERY = "out_for_delivery", "Out for delivery"
    DELIVERED = "delivered", "Delivered"
    EXCEPTION = "exception", "Delivery problem"


class TrackingEvent(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=TrackingStatus.choices)
    description = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=80, blank=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
