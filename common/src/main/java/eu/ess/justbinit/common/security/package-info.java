/**
 * The Kafka security options (SASL, TLS) every process and tool accepts, and their redaction for
 * logs.
 */
package eu.ess.justbinit.common.security;
