"""Mailboxes of the local tenant: users' and shared mailboxes, folders, messages, changes (delta)."""

from tools.tenant.mail.loading import load_mail
from tools.tenant.mail.store import Address, Mailbox, MailStore, Message, NewMessage

__all__ = ["Address", "MailStore", "Mailbox", "Message", "NewMessage", "load_mail"]
