"""What Ariane fetches on behalf of users: only public addresses, unless an administrator allowed more."""
