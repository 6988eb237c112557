from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-not-secret-change-me")

# runserver serves static files itself; WhiteNoise is for collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405

# A terminal reads easier than JSON while developing (LOG_FORMAT=json to see production's).
if env_str("LOG_FORMAT", "text") == "text":
    LOGGING["handlers"]["console"]["formatter"] = "text"  # noqa: F405
# WebAuthn over http://localhost (the live server, runserver); production keeps it off (HTTPS).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
