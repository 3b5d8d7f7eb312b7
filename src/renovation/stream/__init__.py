"""Integration through the event stream: the published form, the feed."""
