"""A district's OpenID Connect identity provider, for the single sign-on tests.

django-oauth-toolkit (a test dependency) serves the real protocol: discovery, the
authorization endpoint, the token endpoint, the signing keys and userinfo, mounted at
/test-idp/o/ of pytest-django's live server, so the site signs in through it over HTTP on
127.0.0.1 exactly as it would through a district's Keycloak or ClassLink.

What a real provider has and the toolkit leaves to its host is here: a directory of people
(DIRECTORY, filled by each test), the provider's own sign-in page and its own cookie
(scoped to /test-idp/, so it never signs anybody in to the site itself), and the claims it
asserts about a person. The toolkit keeps its grants and tokens against the user model, so
each directory entry has a stand-in user row that cannot sign in to the site
(`is_active=False`) and whose email is not the one asserted: the site only ever learns a
person from the claims, as it would from a real provider.

A directory entry can make the provider misbehave on purpose (`id_token_overrides`: a token
for another audience, from another issuer) so the tests can show the site refuses it.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.signing import BadSignature
from django.http import HttpResponse, HttpResponseRedirect
from django.template import RequestContext, Template
from django.urls import include, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from oauth2_provider import views as oauth_views
from oauth2_provider.oauth2_validators import OAuth2Validator

from pdsite.urls import urlpatterns as site_urlpatterns

COOKIE = "test_idp_person"
COOKIE_PATH = "/test-idp/"
STAND_IN_DOMAIN = "directory.idp.test"


@dataclass
class Person:
    """Someone in the district's directory and what the provider says about them."""

    username: str
    password: str
    email: str
    name: str = ""
    email_verified: bool = True
    # Authentication methods the provider reports having used (OpenID Connect's `amr`).
    amr: list[str] = field(default_factory=list)
    # Claims the provider puts in the ID token over the true ones (a broken or hostile one).
    id_token_overrides: dict = field(default_factory=dict)

    @property
    def sub(self) -> str:
        return f"district-{self.username}"

    def claims(self) -> dict:
        claims = {"sub": self.sub, "email": self.email, "email_verified": self.email_verified}
        if self.name:
            given, _, family = self.name.partition(" ")
            claims.update(name=self.name, given_name=given, family_name=family)
        if self.amr:
            claims["amr"] = self.amr
        return claims


# username -> Person. The live server runs in a thread of the test process, so the provider
# reads what the test wrote here.
DIRECTORY: dict[str, Person] = {}


def stand_in_user(person: Person):
    """The user row the toolkit files this person's grants and tokens under."""
    user, _ = get_user_model().objects.get_or_create(
        email=f"{person.username}@{STAND_IN_DOMAIN}", defaults={"is_active": False}
    )
    return user


def person_for(user) -> Person:
    return DIRECTORY[user.email.removesuffix(f"@{STAND_IN_DOMAIN}")]


class DirectoryValidator(OAuth2Validator):
    # Every claim the person has, whatever the scope: the site asks for openid profile email.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return person_for(request.user).claims()

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        # Applied last: the toolkit sets `aud` and `iss` before, and these stand over them.
        claims.update(person_for(request.user).id_token_overrides)
        return claims, expiration_time


class DirectoryAuthorizationView(oauth_views.AuthorizationView):
    """The toolkit's authorization endpoint, with the provider's own sign-in (its cookie)
    instead of the site's session."""

    def dispatch(self, request, *args, **kwargs):
        try:
            username = request.get_signed_cookie(COOKIE, salt=COOKIE)
        except (KeyError, BadSignature):
            username = None
        if username in DIRECTORY:
            request.user = stand_in_user(DIRECTORY[username])
        else:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('test_idp_sign_in')}?{query}")
        return super().dispatch(request, *args, **kwargs)


SIGN_IN_PAGE = Template(
    """<!doctype html><html lang="en"><head><title>Springfield Schools sign-in</title></head>
<body><main><h1>Springfield Schools sign-in</h1>
{% if error %}<p role="alert">{{ error }}</p>{% endif %}
<form method="post">{% csrf_token %}
<label for="username">Username</label> <input id="username" name="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Sign in to Springfield Schools</button></form></main></body></html>"""
)


def sign_in(request):
    """The provider's sign-in page: username and password against DIRECTORY."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        next_url = "/"
    error = ""
    if request.method == "POST":
        person = DIRECTORY.get(request.POST.get("username", ""))
        if person and person.password == request.POST.get("password"):
            response = HttpResponseRedirect(next_url)
            response.set_signed_cookie(
                COOKIE, person.username, salt=COOKIE, path=COOKIE_PATH, httponly=True
            )
            return response
        error = "Wrong username or password."
    return HttpResponse(SIGN_IN_PAGE.render(RequestContext(request, {"error": error})))


provider_urlpatterns = [
    path("authorize/", DirectoryAuthorizationView.as_view(), name="authorize"),
    path("token/", oauth_views.TokenView.as_view(), name="token"),
    path(
        ".well-known/openid-configuration",
        oauth_views.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", oauth_views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", oauth_views.UserInfoView.as_view(), name="user-info"),
]

# The site as it is, plus the provider beside it. The SSO tests make this the URLconf.
urlpatterns = [
    path("test-idp/sign-in/", sign_in, name="test_idp_sign_in"),
    path("test-idp/o/", include((provider_urlpatterns, "oauth2_provider"))),
    *site_urlpatterns,
]
