package dev.agentmemory.model;

/**
 * What a retention purge did.
 *
 * @param versionsExamined how many versions it looked at
 * @param versionsRemoved how many it removed
 */
public record PurgeResult(long versionsExamined, long versionsRemoved) {
}
