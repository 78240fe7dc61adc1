"""Enschede, the example installation, as the tests expect it: the profiles of the organisations
that migration 0006 seeds for GM0153 (in their order)."""

ENSCHEDE_PROFILES: tuple[str, ...] = (
    "gemeente",
    "ons_huis",
    "de_woonplaats",
    "domijn",
    "sjht",
    "de_veste",
    "huurdersorganisaties",
)
