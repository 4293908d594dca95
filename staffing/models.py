"""Built in a later capability; registered now so the app layout is stable."""
