"""Block Kit builders, one module per feature: pure functions from service results to Slack
views and messages. Nothing here talks to Slack or the database, so every view can be checked
on its own; the sentences they show come from :mod:`bot.messages`."""
