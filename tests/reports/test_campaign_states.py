"""A campaign's report is either unfinished or finished: the work list's running campaigns (`Q_CAMPAIGN_RUNNING`)
and the progress pages (`nb_done`, `nb_unfinished`) read the same two sets."""

from reports.enums import FINISHED, UNFINISHED, ReportStatus


def test_every_state_is_unfinished_or_finished_and_never_both():
    assert set(FINISHED) | set(UNFINISHED) == set(ReportStatus)
    assert not set(FINISHED) & set(UNFINISHED)
