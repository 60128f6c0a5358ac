"""fissix fixers written for legacy-compat."""
