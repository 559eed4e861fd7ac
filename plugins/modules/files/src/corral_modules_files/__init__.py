"""corral's file modules and their controller-side actions (copy, template, fetch)."""
