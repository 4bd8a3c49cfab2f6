package eu.ess.justbinit.controller.command;

/**
 * The one histogram a {@code stop} or {@code reset_counts} names by its id.
 *
 * @param id the histogram's id, never empty and never {@code "all"}
 * @param field the command's field that named it ({@code hist_id} or {@code id}), for messages
 */
public record HistogramTarget(String id, String field) {}
