"""The publication generation: one number every portal process reads per request.

Cached pages are filed under the generation they were rendered in. Any change
that can alter a public page adds one to it, in the same transaction as the
change where the ORM lets us (so the change and the new number become visible
together) and again once the transaction has committed. A page rendered before
the change is then never found again, in any process on any host, because every
lookup starts from the number in the shared database.
"""

import secrets

from django.db import connection, models
from django.db.models import F

ROW = 1
CURRENT_SQL = "SELECT value, token FROM pagecache_generation WHERE id = %s"


class Generation(models.Model):
    """The single row holding the publication generation."""

    value = models.BigIntegerField(default=0)
    # New with every bump: a number handed out again after a rollback must not
    # find the pages filed under it by the rolled-back transaction.
    token = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        verbose_name = "publication generation"

    def __str__(self):
        return str(self.value)

    @classmethod
    def current(cls):
        """The generation now, as text for cache keys: one primary-key read."""
        # Asked on every request: plain SQL spares the ORM's query building.
        with connection.cursor() as cursor:
            cursor.execute(CURRENT_SQL, [ROW])
            row = cursor.fetchone()
        return f"{row[0]}.{row[1]}" if row else "0"

    @classmethod
    def bump(cls):
        """Add one to the generation; in the caller's transaction, if there is one."""
        token = secrets.token_hex(8)
        if not cls.objects.filter(pk=ROW).update(value=F("value") + 1, token=token):
            cls.objects.update_or_create(pk=ROW, defaults={"value": 1, "token": token})
