"""The certification exam: the pool, its seeded forms, sealed items and the exam's fingerprint."""
from .forms import BlueprintError, Form, PoolItem, draw_forms, exam_pool, form_label, forms_for
from .sealed import SealedExam, sealed_exam

__all__ = ["BlueprintError", "Form", "PoolItem", "SealedExam", "draw_forms", "exam_pool", "form_label",
           "forms_for", "sealed_exam"]
