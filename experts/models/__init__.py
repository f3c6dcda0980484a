from experts.models.application import ApplicationStatus, DomainApplication
from experts.models.approval import ApprovalStatus, DomainApproval
from experts.models.audit import AuditAction, AuditEntry
from experts.models.credential import Credential, CredentialKind, CredentialStatus
from experts.models.domain import Domain
from experts.models.profile import ExpertProfile
from experts.models.qualification import (
    AttemptItem,
    AttemptStatus,
    GoldItem,
    QualificationAttempt,
    QualificationTest,
)

__all__ = [
    "ApplicationStatus",
    "ApprovalStatus",
    "AttemptItem",
    "AttemptStatus",
    "AuditAction",
    "AuditEntry",
    "Credential",
    "CredentialKind",
    "CredentialStatus",
    "Domain",
    "DomainApplication",
    "DomainApproval",
    "ExpertProfile",
    "GoldItem",
    "QualificationAttempt",
    "QualificationTest",
]
