"""The planning side as read models: an organiser's year and a round, gathered from the store for the API and the exports."""
