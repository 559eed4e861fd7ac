"""Module sources: each file is a self-contained program run on the target."""
