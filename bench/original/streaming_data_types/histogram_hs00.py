"""hs00 is not part of this subset (the bench asks for hs01); kept for the original's imports."""


def serialise_hs00(_histogram):
    raise NotImplementedError("hs00 is not part of this subset; configure output_schema hs01")


def deserialise_hs00(_buffer):
    raise NotImplementedError("hs00 is not part of this subset")
