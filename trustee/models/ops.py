from django.db import models


class Heartbeat(models.Model):
    """The last time a worker ran the periodic heartbeat on a queue: proof beat and workers live."""

    queue = models.CharField(max_length=40, unique=True)
    worker = models.CharField(max_length=200)
    beat_at = models.DateTimeField()
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["queue"]

    def __str__(self):
        return f"{self.queue} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
