"""SCORM packages of the course (``mesotrain package scorm``): the manifest, the schema files
it names, the runtime that reports to the LMS, and the build that puts them in one zip."""
