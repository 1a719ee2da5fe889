"""Test support shared by every app's tests (factories). It sits outside the app layers:
app code never imports it."""
