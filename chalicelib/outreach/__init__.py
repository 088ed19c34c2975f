"""Carrying a gift to its person: the hosted gift page, messages by email, SMS and
Zalo, their templates, schedule, status and suppressions (API.md, "Delivery to the
recipient"). It rides the event pipeline (`delivery.events`) and adds nothing to the
money path."""
