"""The authoring schema: validated, immutable objects for everything instructors write."""
from .content import (Block, CalloutBlock, CautionBlock, Course, DisagreementBlock, Domain,
                      FigureBlock, Glossary, KeyPointsBlock, Lesson, Objective, Position,
                      QuizBlock, Section, Source, Sources, StepsBlock, TableBlock, Term, TextBlock)
from .questions import (BLANK, QUESTION_TYPES, Band, Bank, Blank, BlueprintRow, Case, Cloze, Exam,
                        Hotspot, Item, Matching, Multiple, Numeric, Option, Ordering, Pair, Part,
                        Question, Region, Single, TrueFalse)

__all__ = [
    "BLANK", "QUESTION_TYPES", "Band", "Bank", "Blank", "Block", "BlueprintRow", "CalloutBlock", "Case",
    "CautionBlock", "Cloze", "Course", "DisagreementBlock", "Domain", "Exam", "FigureBlock",
    "Glossary", "Hotspot", "Item", "KeyPointsBlock", "Lesson", "Matching", "Multiple", "Numeric",
    "Objective", "Option", "Ordering", "Pair", "Part", "Position", "Question", "QuizBlock",
    "Region", "Section", "Single", "Source", "Sources", "StepsBlock", "TableBlock", "Term",
    "TextBlock", "TrueFalse",
]
