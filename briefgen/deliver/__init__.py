"""Edition (a Brief and its files) → each recipient, through the outbox, exactly once.

Modules: `outbox` (messages queued, sent, retried), `mail` (safe headers and addresses),
`smtp` (the SMTP transport: STARTTLS/TLS with verified certificates, retries).
"""
