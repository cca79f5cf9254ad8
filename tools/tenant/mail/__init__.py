"""Mailboxes of the local tenant: users' and shared mailboxes, folders, messages, changes (delta)."""

from tools.tenant.mail.store import Address, Mailbox, MailStore, Message, NewMessage, load_mail

__all__ = ["Address", "MailStore", "Mailbox", "Message", "NewMessage", "load_mail"]
