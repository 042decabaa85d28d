"""Demo data: reference data, two campaigns and one account per role (`flask seed-demo`)."""
