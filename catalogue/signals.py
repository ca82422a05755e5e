"""How the catalogue announces changes to the apps that follow it.

The catalogue does not know who listens (search does, to keep its indexes in
step with the gate). `subtrees_changed` and `repository_imported` are sent once
the transaction has committed, so a listener never sees data that may still be
rolled back. `catalogue_changing` is sent inside the writer's transaction, for
a listener whose own write must commit with the change (the page cache: no
other process may see the change and a page rendered before it).
"""

from django.db import transaction
from django.dispatch import Signal

# Records below these roots (the roots included) may have changed, or moved
# through the gate. Sent with `roots`: a list of record ids.
subtrees_changed = Signal()

# A repository's catalogue was imported: any of its records may have changed.
# Sent with `repository_id`.
repository_imported = Signal()

# Records are being changed in the current transaction (an import, or a save
# that may move records through the gate).
catalogue_changing = Signal()


def announce_subtrees(sender, roots):
    roots = list(roots)
    catalogue_changing.send(sender=sender)
    transaction.on_commit(lambda: subtrees_changed.send(sender=sender, roots=roots))


def announce_import(sender, repository_id):
    catalogue_changing.send(sender=sender)
    transaction.on_commit(
        lambda: repository_imported.send(sender=sender, repository_id=repository_id)
    )
