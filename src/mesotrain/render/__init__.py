"""Rendering: a loaded course → Markdown pages for any static site generator. No MkDocs here."""
from .context import Course, Page
from .site import render_site

__all__ = ["Course", "Page", "render_site"]
