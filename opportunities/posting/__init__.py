"""What recruiters do with their roles: posting, and the statistics of each role."""
