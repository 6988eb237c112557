"""`manage.py update_catalogue`: Django's makemessages over our own code only, so every
string we mark lands in locale/<lang>/LC_MESSAGES/django.po. The one list of what is not
ours to translate: the tests, the benchmark and ops tooling, and course content (content/,
which stays English until an author translates it). tests/pdsite/test_catalogue.py runs
this in a copy of the project to prove the committed Spanish catalogue is complete."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

NOT_OURS_TO_TRANSLATE = [
    "tests",
    "bench",
    "ops",
    "content",
    "staticfiles",
    "test-artifacts",
    "media",
    "private",
    "build",
    "node_modules",
]


class Command(BaseCommand):
    help = "Refresh the .po catalogues from the strings marked in our code and templates."

    def add_arguments(self, parser):
        parser.add_argument("--keep-pot", action="store_true", help="keep locale/django.pot")

    def handle(self, *args, **options):
        languages = [code for code, _name in settings.LANGUAGES if code != "en"]
        call_command(
            "makemessages",
            locale=languages,
            ignore_patterns=NOT_OURS_TO_TRANSLATE,
            no_obsolete=True,
            keep_pot=options["keep_pot"],
            verbosity=options["verbosity"],
        )
