"""The marker of a synthetic dataset: what was generated, with which seed, and how long it took.

``bench`` reads it to decide whether a database already holds the scale it was asked for.
"""

from django.db import models


class SynthDataset(models.Model):
    seed = models.PositiveIntegerField()
    counties = models.PositiveIntegerField()
    first_county = models.PositiveIntegerField(default=0)
    as_of = models.DateField()
    sizes = models.JSONField(default=dict)
    timings = models.JSONField(default=dict)  # seconds per stage and in total
    rows = models.JSONField(default=dict)  # rows written per model
    vendor = models.CharField(max_length=20)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"synth seed={self.seed} counties={self.first_county}+{self.counties}"
