from django.utils import translation

from core.languages import language_of, speaking_to, supported
from pdsite.models import User


def test_the_saved_choice_is_used_and_anything_else_falls_back_to_the_sites_language():
    assert language_of(User(language="es")) == "es"
    assert language_of(User(language="")) == "en"
    assert language_of(User(language="xx")) == "en"  # a stale or forged value
    assert language_of(None) == "en"  # an invitation to an address with no account
    assert supported("es") == "es" and supported("fr") is None


def test_speaking_to_renders_in_the_recipients_language_and_restores_the_page_language():
    with translation.override("en"):
        with speaking_to(User(language="es")):
            assert translation.gettext("My learning") == "Mi aprendizaje"
        assert translation.get_language() == "en"
