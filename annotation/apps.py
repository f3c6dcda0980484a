from django.apps import AppConfig


class AnnotationConfig(AppConfig):
    name = "annotation"
    verbose_name = "Prompts, responses and judgments"

    def ready(self) -> None:
        from annotation.receivers import release_withdrawn_work
        from experts.signals import work_withdrawn

        work_withdrawn.connect(release_withdrawn_work, dispatch_uid="annotation.release_withdrawn")
