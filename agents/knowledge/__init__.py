"""Knowledge answer workflow: an assistant answers only from its reference documents."""
