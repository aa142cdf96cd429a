/**
 * The rules the value types check when they are made (the syntax of ids) and the printable form of user input that
 * messages quote, shared with the service. Not an API; may change in any release.
 */
package dev.agentmemory.model.internal;
