from .base import *  # noqa: F403
from .base import SECRET_KEY, STORAGES

if not SECRET_KEY:
    raise RuntimeError("Set SECRET_KEY in the environment to run with production settings.")

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
