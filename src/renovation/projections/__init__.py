"""Read models projected from the event log. They read events and never call the application."""
