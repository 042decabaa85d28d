"""The three queues, and which task goes to which.

Workers take them in separate processes (Procfile, README "Production"), so that a ZIP of a
thousand PDFs on `bulk` never makes a director wait for a page count on `interactive`, and the
deadline's submissions on `submission` are not stuck behind either.
"""

from kombu import Exchange, Queue

INTERACTIVE = "interactive"  # page counts, previews, a draft's PDF asked for now, e-mails without a file
SUBMISSION = "submission"  # the official PDF sent to the school, and its message
BULK = "bulk"  # exports, renders made ahead of time, the outbox sweep, the stored PDFs' clean-up

# Each bound by its own name: a queue without a routing key gets the default one, and the three
# would then all receive a copy of every message.
QUEUES = tuple(Queue(name, Exchange(name), routing_key=name) for name in (INTERACTIVE, SUBMISSION, BULK))

# Task name → its queue; a caller may choose another for one message (an e-mail with the PDF).
ROUTES = {
    "notifications.deliver_message": INTERACTIVE,
    "notifications.sweep_outbox": BULK,
    "exports.render_pdf": BULK,
    "proposals.measure": INTERACTIVE,
    "proposals.render_description": INTERACTIVE,
    "proposals.render_pdf": INTERACTIVE,
    "proposals.render_ahead": BULK,
    "proposals.clean_stored_pdfs": BULK,
    # A visitor's page shows the source meanwhile: never ahead of a director's page count.
    "catalogue.render_description": BULK,
}

# Within a queue, Redis hands out lower numbers first (kombu's default steps 0, 3, 6, 9; a task
# without one is 0). A draft's PDF is asked once, a page count at every pause in the typing: at
# the deadline the counts of 32 directors went behind 32 PDFs of a third of a second each.
PRIORITIES = {"proposals.render_pdf": 6}
