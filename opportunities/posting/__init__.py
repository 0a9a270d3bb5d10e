"""What recruiters do with their roles and how they are moderated: posting, writing help,
trust flags, developers' reports, and the statistics of each role."""
