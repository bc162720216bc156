"""Keep each owner's per-day counts (ReviewDay) with the reviews, whoever saves or deletes them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import services
from .models import Review


@receiver(post_save, sender=Review, dispatch_uid="reviews.count_saved_review")
def count_saved_review(sender, instance: Review, created: bool, raw: bool = False, **kwargs) -> None:
    # Only a new review changes the counts: its owner, date, verdict and score are never edited.
    if created and not raw:
        services.review_day_count(review=instance, change=1)


@receiver(post_delete, sender=Review, dispatch_uid="reviews.uncount_deleted_review")
def uncount_deleted_review(sender, instance: Review, **kwargs) -> None:
    # The admin's bulk delete and a user's deletion (cascading) come here too, a review at a time.
    services.review_day_count(review=instance, change=-1)
