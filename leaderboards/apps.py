from django.apps import AppConfig


class LeaderboardsConfig(AppConfig):
    name = "leaderboards"
    verbose_name = "Leaderboards and fits"

    def ready(self) -> None:
        # Register the tasks in every process, not only in workers: closing a batch looks the
        # refit task up by name, and without a broker (the demo) runs it in-process.
        from annotation.signals import judgments_reversed
        from leaderboards import tasks  # noqa: F401
        from leaderboards.receivers import mark_snapshots_of_reversed_judgments

        judgments_reversed.connect(
            mark_snapshots_of_reversed_judgments, dispatch_uid="leaderboards.mark_affected"
        )
