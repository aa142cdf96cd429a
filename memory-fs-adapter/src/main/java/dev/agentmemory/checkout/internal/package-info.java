/**
 * The implementation of {@link dev.agentmemory.checkout.Checkout}: the on-disk manifest and the per-mount sync, in
 * three phases: the scan ({@code LocalScan}), the plan ({@code SyncPlan}, deciding with {@code SyncDecisions}; no
 * I/O) and the applying ({@code MountSync}). Not an API: anything here may change without notice.
 */
package dev.agentmemory.checkout.internal;
