/**
 * The starter's implementation: the backend decision, the composite write listener and the retention schedule. Not
 * an API; it may change in any release.
 */
package dev.agentmemory.spring.boot.internal;
