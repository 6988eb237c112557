from django.core.management.base import BaseCommand

from demo.starter_update import update_starter_course


class Command(BaseCommand):
    help = (
        "Bring the starter course up to date with the shipped content (safe to run again). "
        "Pages and quizzes an author has edited are kept unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also overwrite pages and quizzes an author has edited (their edits are lost; "
            "attempts already made keep showing the quiz version they answered).",
        )

    def handle(self, *args, force=False, **options):
        result = update_starter_course(force=force)
        for key, action in result.actions:
            self.stdout.write(f"  {key:<70} {action}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Starter course: {len(result.updated)} updated, {len(result.kept)} kept "
                f"as edited, {len(result.actions) - len(result.updated) - len(result.kept)} "
                "already up to date."
            )
        )
        if result.kept:
            self.stdout.write(
                self.style.WARNING(
                    "Kept because an author edited them since they were loaded: "
                    f"{', '.join(result.kept)}. Run with --force to replace them."
                )
            )
