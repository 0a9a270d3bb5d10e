"""Recruiters' listings: onboarding, posting, the lifecycle and moderation."""
