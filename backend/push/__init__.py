"""Web Push: subscriptions, preferences, the notifications outbox and its sender."""
