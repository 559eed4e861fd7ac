"""corral's system modules (facts, users, services, packages, waiting, async jobs)."""
