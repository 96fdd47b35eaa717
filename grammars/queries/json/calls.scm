; JSON has no calls.
