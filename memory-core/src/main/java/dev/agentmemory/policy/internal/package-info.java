/**
 * The machinery of the write policies: the keyword automaton that lets the secret scanner and the injection detector
 * read a content once. Not an API; may change in any release.
 */
package dev.agentmemory.policy.internal;
