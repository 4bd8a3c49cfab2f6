"""The subset of ESS's streaming_data_types Python API that the original just-bin-it uses.

Written for this repository over code that flatc 2.0.8 generated from the schemas in
proto/src/main/flatbuffers (fbschemas/); the function names and return shapes follow upstream's
package (ess-dmsc/python-streaming-data-types) so the original runs unchanged against it.
"""
from streaming_data_types.eventdata_ev44 import deserialise_ev44, serialise_ev44
from streaming_data_types.histogram_hs01 import deserialise_hs01, serialise_hs01
from streaming_data_types.status_x5f2 import deserialise_x5f2, serialise_x5f2

__all__ = [
    "deserialise_ev44",
    "serialise_ev44",
    "deserialise_hs01",
    "serialise_hs01",
    "deserialise_x5f2",
    "serialise_x5f2",
]
