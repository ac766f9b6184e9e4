"""The Slack adapter: Bolt listeners and Block Kit views over the services in ``agenda``."""
