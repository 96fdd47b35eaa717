; YAML has no calls.
