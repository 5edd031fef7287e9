"""SMS backends: `base.BaseSmsBackend` is the interface; console, filebased and http implement it."""
