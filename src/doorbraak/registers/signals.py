"""What the registers announce to the apps above them. Registers never import those apps: an app
that follows up on register data (entity linking) connects a receiver in its AppConfig.ready().
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent after an accepted (not dry-run) import has been COMMITTED (transaction.on_commit), once per
# import, with sender=ImportBatch and:
#   batch_pk: the ImportBatch's primary key,
#   counts:   {model label: {"created": n, "updated": n, ...}} as stored on the batch,
#   user:     who imported (None for the command line or a system job).
# A receiver's failure is logged and never touches the import (send_robust).
records_imported = Signal()
