from wagtail import hooks

from certificates.services import CREDIT_WAITS_FOR_HOOK
from modules.page_hooks import MODULE_PAGE_CONTEXT_HOOK

from .forms import EvidenceUploadForm
from .selectors import credit_wait_reasons, module_evidence_of
from .services import MAX_EVIDENCE_FILES


@hooks.register(CREDIT_WAITS_FOR_HOOK)
def first_follow_up_for_credit(*, enrollment) -> list[str]:
    """Certificates ask before requesting credit: with "credit requires the first
    follow-up" on, the certificate waits for it."""
    return credit_wait_reasons(enrollment=enrollment)


@hooks.register(MODULE_PAGE_CONTEXT_HOOK)
def module_evidence(request, context):
    """On a module whose practice task asks for evidence: the teacher's files and the
    upload form (templates/followups/includes/module_evidence.html). The module page only
    gets here for an enrolled teacher; other modules cost no query."""
    status = context.get("status")
    if status is None or context.get("preview") or not status.module.asks_for_evidence:
        return {}
    files = module_evidence_of(user=request.user, module=status.module)
    return {
        "module_evidence": {
            "files": files,
            "form": EvidenceUploadForm() if len(files) < MAX_EVIDENCE_FILES else None,
            "max_files": MAX_EVIDENCE_FILES,
        }
    }
