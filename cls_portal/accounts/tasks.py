"""Celery tasks of accounts: the invitation e-mail (thin, idempotent, retried on SMTP errors)."""

from celery import shared_task

from cls_portal.notifications import mail

from . import emails


@shared_task(bind=True, name="accounts.send_invitation", max_retries=len(mail.RETRY_DELAYS),
             soft_time_limit=60, time_limit=90)
def send_invitation(self, invitation_id: int, token: str):
    """Send the invitation e-mail for this link (`token`): a resent invitation has a new token, so an old
    task finds nothing to do; a link already e-mailed is not sent twice."""
    try:
        return emails.invitation_email_send(invitation_id=invitation_id, token=token)
    except mail.TRANSIENT_ERRORS as err:
        # throw=False: the retry is scheduled without raising Retry, so an eager run (make run without a
        # broker, the tests) retries in place too; past max_retries the SMTP error itself is raised.
        return self.retry(exc=err, countdown=mail.retry_delay(self.request.retries), throw=False)
