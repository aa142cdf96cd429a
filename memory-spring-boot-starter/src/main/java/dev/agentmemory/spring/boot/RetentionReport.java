package dev.agentmemory.spring.boot;

/**
 * What one retention run did across the configured workspaces.
 *
 * @param storesPurged how many stores were purged
 * @param storesFailed how many stores could not be purged (each is logged with its error; the run went on)
 * @param versionsExamined how many versions the purges looked at
 * @param versionsRemoved how many versions they removed
 */
public record RetentionReport(int storesPurged, int storesFailed, long versionsExamined, long versionsRemoved) {
}
