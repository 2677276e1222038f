"""The recording-quality analyser: what a recording auditor would say about a case note.

Pure Python, no Django: `analyse(text, config)` returns `Finding`s with character offsets
into the note. The quality app stores an organisation's `AnalyserConfig` choices and the
findings that stood when a note was finalised.
"""

from caseledger.domain.quality.analyser import analyse
from caseledger.domain.quality.findings import CODE_NAMES, CODES, AnalyserConfig, Finding
from caseledger.domain.quality.glossary import DEFAULT_GLOSSARY

__all__ = ["CODES", "CODE_NAMES", "DEFAULT_GLOSSARY", "AnalyserConfig", "Finding", "analyse"]
