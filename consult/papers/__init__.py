"""Position papers (issue 19): PDF files an organisation attaches to its response.

    checking.py    pure checks of an upload (size, signature, pypdf within tight limits,
                   no encryption, no scripts, no decompression bomb) and its bounded text
    storage.py     where the bytes live: the ``PaperStore`` interface and the local one
                   under the instance folder (an object store may implement it later)
    operations.py  attach, remove, publish, unpublish, withdraw and purge: each one
                   transaction; a file written before its row and deleted after its row
    reading.py     the queries: a response's papers, the published ones (the public rule,
                   written once), the console's list with its filter and search
    messages.py    each refusal's message, in the request's language

May import models, extensions, ``responding`` (the writable check, the public-change
mark) and ``reviewing`` (the audit entry); never Flask's request or a blueprint.
``responding.withdraw_response`` and ``maintenance.purging`` call ``operations``' small
helpers, so this package's ``__init__`` imports nothing.
"""
