"""Give every existing attempt a quiz version: the quiz as it stands now, flagged as
recorded after the fact (we cannot know what the quiz said when it was answered).

The definition and hash come from the same functions the quiz service uses, on purpose: a
new attempt at an unchanged quiz then shares this version instead of storing a copy."""

from django.db import migrations


def backfill(apps, schema_editor):
    from quizzes.grading import quiz_definition
    from quizzes.versions import content_hash

    Quiz = apps.get_model("quizzes", "Quiz")
    QuizVersion = apps.get_model("quizzes", "QuizVersion")
    Attempt = apps.get_model("quizzes", "Attempt")
    quiz_ids = Attempt.objects.filter(quiz_version=None).values_list("quiz_id", flat=True)
    for quiz in Quiz.objects.filter(pk__in=set(quiz_ids)):
        definition = quiz_definition(quiz)
        version, _ = QuizVersion.objects.get_or_create(
            quiz=quiz, content_hash=content_hash(definition), defaults={"definition": definition}
        )
        Attempt.objects.filter(quiz=quiz, quiz_version=None).update(
            quiz_version=version, version_recorded_late=True
        )


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0003_quiz_versions")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
