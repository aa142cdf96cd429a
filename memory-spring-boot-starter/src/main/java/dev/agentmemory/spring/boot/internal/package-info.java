/**
 * The starter's implementation: the backend decision, and the composite write listener. Not
 * an API; it may change in any release.
 */
package dev.agentmemory.spring.boot.internal;
