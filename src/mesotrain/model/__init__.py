"""The authoring schema: validated, immutable objects for everything instructors write."""
from .content import (Block, CalloutBlock, CautionBlock, Course, DisagreementBlock, Domain,
                      FigureBlock, Glossary, KeyPointsBlock, Lesson, Objective, Position,
                      QuizBlock, Section, Source, Sources, StepsBlock, TableBlock, Term, TextBlock)

__all__ = [
    "BLANK", "QUESTION_TYPES", "Band", "Bank", "Blank", "Block", "BlueprintRow", "CalloutBlock", "Case",
    "CautionBlock", "Cloze", "Course", "DisagreementBlock", "Domain", "Exam", "FigureBlock",
    "Glossary", "Hotspot", "Item", "KeyPointsBlock", "Lesson", "Matching", "Multiple", "Numeric",
    "Objective", "Option", "Ordering", "Pair", "Part", "Position", "Question", "QuizBlock",
    "Region", "Section", "Single", "Source", "Sources", "StepsBlock", "TableBlock", "Term",
    "TextBlock", "TrueFalse",
]
_LATER = set(__all__) - set(globals())


def __getattr__(name: str):
    # Question models load on first use: mesotrain.types (which they are built from) imports model.base.
    if name in _LATER:
        from . import questions
        return getattr(questions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
