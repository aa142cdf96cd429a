/**
 * The implementation of {@link dev.agentmemory.checkout.Checkout}: the on-disk manifest, the local scan and the
 * per-mount merge. Not an API: anything here may change without notice.
 */
package dev.agentmemory.checkout.internal;
