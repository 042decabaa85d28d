"""Outgoing e-mail. Every message of the portal goes through `mail.send_template`."""
