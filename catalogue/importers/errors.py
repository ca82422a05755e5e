"""Our own words for what the system says when a file cannot be read.

The report is read in the editor's language; the system's text ("No such file
or directory", "Permission denied") is English whatever the language, and says
nothing an editor can act on. Each reason is ours; the system's own words go
to the log, for whoever runs the portal.
"""

import errno
import logging

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def os_error(error: OSError) -> str:
    """Why a file cannot be opened or read, in the active language."""
    code = error.errno
    if not code and error.strerror:
        # Raised by our own code with a message already in our words.
        return str(error.strerror)
    logger.info("import: a file cannot be read: %s", error)
    if code in (errno.ENOENT, errno.ENOTDIR):
        return _("the file is not there")
    if code in (errno.EACCES, errno.EPERM):
        return _("the portal is not allowed to read it")
    if code == errno.EISDIR:
        return _("it is a folder, not a file")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return _("the server's disk is full")
    return _("the system cannot read it")
