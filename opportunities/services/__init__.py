"""Every write goes through a service here: keyword-only, typed, named <entity>_<action>."""
