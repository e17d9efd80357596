"""Edition (a Brief and its files) → each recipient, through the outbox, exactly once.

Modules: `channels` (the registry: a channel prepares a payload and delivers it, one receipt
per recipient), `outbox` (items queued, sent, retried; who has what), `email_channel` (the
`email` channel: the message and its PDF), `mail` (safe headers and addresses), `smtp` (the
SMTP transport: STARTTLS/TLS with verified certificates, retries, ambiguous sends kept apart).
"""
