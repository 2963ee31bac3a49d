"""SHU (sisa hasil usaha): allocation per member, its posting, and the RAT pack."""
