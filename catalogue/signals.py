"""How the catalogue announces changes to the apps that follow it.

The catalogue does not know who listens (search does, to keep its indexes in
step with the gate). Both signals are sent once the transaction has committed,
so a listener never sees data that may still be rolled back.
"""

from django.db import transaction
from django.dispatch import Signal

# Records below these roots (the roots included) may have changed, or moved
# through the gate. Sent with `roots`: a list of record ids.
subtrees_changed = Signal()

# A repository's catalogue was imported: any of its records may have changed.
# Sent with `repository_id`.
repository_imported = Signal()


def announce_subtrees(sender, roots):
    roots = list(roots)
    transaction.on_commit(lambda: subtrees_changed.send(sender=sender, roots=roots))


def announce_import(sender, repository_id):
    transaction.on_commit(
        lambda: repository_imported.send(sender=sender, repository_id=repository_id)
    )
