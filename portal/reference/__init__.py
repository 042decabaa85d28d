"""Reference data: campaigns, initiatives and institutes, doctoral schools, research units."""
