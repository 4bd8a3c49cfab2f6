/**
 * Every ESS FlatBuffers format the project reads or writes (ev44, ev42, da00, hs01, hs00, x5f2):
 * zero-copy views, decoders and encoders.
 */
package eu.ess.justbinit.wire.codec;
