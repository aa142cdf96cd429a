/**
 * The JSON form of stores, memories, versions and actors, as the hosted API writes them: defined once here and used
 * by the JSON Lines export and by every surface that prints or serves JSON (the operator's CLI, servers).
 */
package dev.agentmemory.wire;
