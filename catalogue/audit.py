"""Access decisions go into Wagtail's audit log, whoever or whatever made them."""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

ACCESS_CHANGED = "catalogue.access_status"
WITHDRAWN = "catalogue.withdraw"
RESTORED = "catalogue.restore"

ACTIONS = [
    (ACCESS_CHANGED, _("Change access status"), _("Access status changed")),
    (WITHDRAWN, _("Withdraw"), _("Withdrawn from the public")),
    (RESTORED, _("Restore"), _("Restored to the public")),
]


def log_access_change(record, old_status, user=None, source="admin"):
    if old_status == record.access_status:
        return
    log(
        instance=record,
        action=ACCESS_CHANGED,
        user=user,
        data={"from": old_status, "to": record.access_status, "source": source},
    )


def log_withdrawal(record, user=None, hidden=0):
    action = WITHDRAWN if record.withdrawn else RESTORED
    log(
        instance=record,
        action=action,
        user=user,
        data={"reason": record.withdrawal_reason, "records_affected": hidden},
    )
