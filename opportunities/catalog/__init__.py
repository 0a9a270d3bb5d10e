"""The catalog: roles, companies and the skill and industry taxonomy."""
