-- Rolls 008 back: the counters of names without an account go.
DROP TABLE sign_in_throttle;
