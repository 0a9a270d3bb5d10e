"""Developers' profiles: what each offers and wants."""
