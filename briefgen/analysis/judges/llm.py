"""(claim, passages of one source) → Verdict from an OpenAI-compatible chat-completions endpoint.

Placeholder registration: the LLM judge is built in a later step."""

from . import register
