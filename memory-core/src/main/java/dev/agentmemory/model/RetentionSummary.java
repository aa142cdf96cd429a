package dev.agentmemory.model;

/**
 * What applying retention across stores did.
 *
 * @param storesPurged how many stores retention was applied to
 * @param storesSkipped how many archived stores were left alone (an archived store keeps all its versions)
 * @param versionsExamined how many versions were looked at, in all
 * @param versionsRemoved how many were removed, in all
 */
public record RetentionSummary(int storesPurged, int storesSkipped, long versionsExamined, long versionsRemoved) {

    /** Nothing done yet. */
    public static final RetentionSummary EMPTY = new RetentionSummary(0, 0, 0, 0);

    /**
     * Adds another summary to this one.
     *
     * @param other the other
     * @return the sum
     */
    public RetentionSummary plus(RetentionSummary other) {
        return new RetentionSummary(storesPurged + other.storesPurged, storesSkipped + other.storesSkipped,
                versionsExamined + other.versionsExamined, versionsRemoved + other.versionsRemoved);
    }
}
